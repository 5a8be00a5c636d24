-- Stele log tables beside the event store (docs/events.md). client ids and sequence numbers are
-- unsigned 64-bit on the wire; they are stored in bigint by reinterpreting the bits (unchecked cast).

-- Openings of submitted entries, written by the submission API in the same transaction as the
-- event. Never inside an event row, so an erasure deletes content and salt here without
-- rewriting history. content is NULL for large entries, whose bytes are the blob at blob_key.
CREATE TABLE stele.contents (
    commitment bytea       NOT NULL PRIMARY KEY CHECK (length(commitment) = 32),
    salt       bytea       NOT NULL CHECK (length(salt) = 32),
    size       bigint      NOT NULL CHECK (size >= 0),
    content    bytea,
    blob_key   text,
    created_at timestamptz NOT NULL DEFAULT now(),
    CHECK ((content IS NULL) <> (blob_key IS NULL))
);

-- Last sequence number accepted per client at submission time (the API's replay guard; the
-- fold checks again, in stream order, and is the authority).
CREATE TABLE stele.client_sequences (
    client_id     bigint NOT NULL PRIMARY KEY,
    last_sequence bigint NOT NULL
);

-- Registered clients, written by the fold when it accepts a ClientRegistered (read model).
CREATE TABLE stele.clients (
    client_id          bigint      NOT NULL PRIMARY KEY,
    ed25519_public_key bytea       NOT NULL CHECK (length(ed25519_public_key) = 32),
    bls_public_key     bytea       NOT NULL CHECK (length(bls_public_key) = 48),
    leaf_index         bigint      NOT NULL,
    position           bigint      NOT NULL,
    registered_at      timestamptz NOT NULL DEFAULT now()
);

-- What became of each submitted entry: its leaf, or why it was rejected (read model, fold).
CREATE TABLE stele.entry_status (
    client_id  bigint NOT NULL,
    sequence   bigint NOT NULL,
    position   bigint NOT NULL,
    leaf_index bigint,
    rejection  text,
    PRIMARY KEY (client_id, sequence),
    CHECK ((leaf_index IS NULL) <> (rejection IS NULL))
);
CREATE UNIQUE INDEX entry_status_leaf ON stele.entry_status (leaf_index) WHERE leaf_index IS NOT NULL;

-- Events the fold refused, and why (registrations, batches; entries also appear in entry_status).
CREATE TABLE stele.rejections (
    position bigint NOT NULL PRIMARY KEY,
    reason   text   NOT NULL
);

-- The fold's own state: one row per log (tree size, and the published checkpoint's size).
CREATE TABLE stele.log_state (
    log_name        text        NOT NULL PRIMARY KEY,
    tree_size       bigint      NOT NULL,
    published_size  bigint      NOT NULL,
    updated_at      timestamptz NOT NULL DEFAULT now()
);
