-- Erasures (docs/erasure.md), written by the log fold in the same transaction that deletes the
-- erased opening from stele.contents. The commitment is kept: without the salt it reveals nothing,
-- and it lets the database refuse a resubmission that would bring the content back.
CREATE TABLE stele.erasures (
    commitment  bytea       NOT NULL PRIMARY KEY CHECK (length(commitment) = 32),
    target_leaf bigint      NOT NULL UNIQUE,
    notice_leaf bigint      NOT NULL UNIQUE,
    position    bigint      NOT NULL,
    erased_at   timestamptz NOT NULL DEFAULT now()
);

-- An opening for an erased commitment is refused with a unique-violation error, which the
-- submission API already answers with 409 "commitment_reused".
CREATE FUNCTION stele.refuse_erased_commitment() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM stele.erasures WHERE commitment = NEW.commitment) THEN
        RAISE EXCEPTION 'stele: this commitment belongs to erased content and cannot be stored again'
            USING ERRCODE = 'unique_violation';
    END IF;
    RETURN NEW;
END $$;

CREATE TRIGGER contents_refuse_erased
    BEFORE INSERT OR UPDATE OF commitment ON stele.contents
    FOR EACH ROW EXECUTE FUNCTION stele.refuse_erased_commitment();
