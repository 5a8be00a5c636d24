-- What the log fold needs to resume without refolding from the start (docs/projections.md):
-- each client's BLS proof of possession (so its proven key can be re-established) and its last
-- accepted sequence number (unsigned 64-bit, stored by reinterpreting the bits; NULL before its
-- first entry), and the root of the folded tree beside its size.
ALTER TABLE stele.clients ADD COLUMN bls_proof_of_possession bytea CHECK (length(bls_proof_of_possession) = 96);
ALTER TABLE stele.clients ADD COLUMN last_sequence bigint;
ALTER TABLE stele.log_state ADD COLUMN root bytea CHECK (length(root) = 32);
