-- Packed openings (docs/broker.md): the broker stores a distilled batch's openings as ONE row per
-- batch instead of one stele.contents row per entry (a row, a primary-key entry and a trigger call per
-- vote were most of the cost of writing a batch). The format of the two byte strings is
-- Stele.Domain.Content.PackedOpenings; position is the batch's BatchDistilled event.
CREATE TABLE stele.packed_openings (
    position    bigint      NOT NULL PRIMARY KEY,
    entries     integer     NOT NULL CHECK (entries >= 0),
    commitments bytea       NOT NULL CHECK (length(commitments) = 32 * entries),
    openings    bytea       NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now()
);
-- Commitments are random bytes: never try to compress them, and let position() read them directly.
ALTER TABLE stele.packed_openings ALTER COLUMN commitments SET STORAGE EXTERNAL;

-- "An erased commitment can never be stored again", set-based: one check per batch against
-- stele.erasures, under a SHARED advisory lock that an erasure takes EXCLUSIVELY (trigger below).
-- So either the erasure committed first and this check sees it, or the erasure waits for this
-- batch to commit and then scrubs the batch's row too (LogReadModels.RecordErasuresAsync).
CREATE FUNCTION stele.store_packed_openings(p_position bigint, p_commitments bytea, p_openings bytea) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    v_erased bigint;
BEGIN
    PERFORM pg_advisory_xact_lock_shared(7596240315927650306);
    IF EXISTS (SELECT 1 FROM stele.erasures) THEN
        SELECT count(*) INTO v_erased FROM stele.erasures e
        WHERE e.commitment IN (SELECT substring(p_commitments FROM i * 32 + 1 FOR 32)
                               FROM generate_series(0, length(p_commitments) / 32 - 1) AS i);
        IF v_erased > 0 THEN
            RAISE EXCEPTION 'stele: % commitment(s) of this batch belong to erased content and cannot be stored again', v_erased
                USING ERRCODE = 'unique_violation';
        END IF;
    END IF;
    INSERT INTO stele.packed_openings (position, entries, commitments, openings)
    VALUES (p_position, length(p_commitments) / 32, p_commitments, p_openings);
END $$;

CREATE FUNCTION stele.lock_packed_openings_for_erasure() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_advisory_xact_lock(7596240315927650306);
    RETURN NULL;
END $$;

CREATE TRIGGER erasures_lock_packed_openings
    BEFORE INSERT ON stele.erasures
    FOR EACH STATEMENT EXECUTE FUNCTION stele.lock_packed_openings_for_erasure();
