-- Stele event store: streams, the global event log, projection checkpoints.
-- The ordering guarantee (readers never see a gap that later fills) is explained in docs/event-store.md.

CREATE SCHEMA IF NOT EXISTS stele;

-- One row per stream; "version" is the stream's last event number (events are numbered from 1).
CREATE TABLE stele.streams (
    stream_id  text        NOT NULL PRIMARY KEY,
    version    bigint      NOT NULL CHECK (version >= 1),
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
);

-- CACHE 1 is load-bearing: positions must be handed out in the order reserve_positions runs,
-- which a per-session cache would break.
CREATE SEQUENCE stele.event_position AS bigint START 1 CACHE 1;

-- The log. transaction_id is the writing transaction (pg_current_xact_id()); readers only see
-- rows whose transaction is older than every transaction still running (see read functions).
-- No foreign key to streams: it would cost a trigger per row on bulk COPY, and only
-- stele.begin_append writes both tables.
CREATE TABLE stele.events (
    position       bigint      NOT NULL PRIMARY KEY,
    transaction_id xid8        NOT NULL DEFAULT pg_current_xact_id(),
    stream_id      text        NOT NULL,
    stream_version bigint      NOT NULL,
    event_type     text        NOT NULL,
    schema_version integer     NOT NULL CHECK (schema_version >= 1),
    payload        jsonb       NOT NULL,
    recorded_at    timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT events_stream_version_unique UNIQUE (stream_id, stream_version)
);

-- History is append-only: refuse UPDATE, DELETE and TRUNCATE (statement triggers cost nothing on INSERT/COPY).
CREATE FUNCTION stele.refuse_event_rewrite() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'stele.events is append-only: % is not allowed', TG_OP USING ERRCODE = 'SE403';
END $$;

CREATE TRIGGER events_append_only
    BEFORE UPDATE OR DELETE OR TRUNCATE ON stele.events
    FOR EACH STATEMENT EXECUTE FUNCTION stele.refuse_event_rewrite();

-- Reserves p_count consecutive positions for the current transaction and returns the first.
-- The transaction id is assigned and the positions drawn under one short lock, so for any two
-- appending transactions the one with the smaller transaction id holds the smaller positions.
-- That is what makes "transaction_id < snapshot xmin" a safe read horizon.
CREATE FUNCTION stele.reserve_positions(p_count integer) RETURNS bigint
LANGUAGE plpgsql AS $$
DECLARE
    v_first bigint;
BEGIN
    IF p_count < 1 THEN
        RAISE EXCEPTION 'stele: cannot reserve % positions', p_count USING ERRCODE = 'SE400';
    END IF;
    IF pg_current_xact_id_if_assigned() IS NOT NULL THEN
        RAISE EXCEPTION 'stele: appending events must be the first write of a transaction'
            USING ERRCODE = 'SE400';
    END IF;
    -- Session-level lock (released below, a few microseconds later), not transaction-level:
    -- holding it until commit would serialize every append.
    PERFORM pg_advisory_lock(7596240315927650305);
    BEGIN
        PERFORM pg_current_xact_id();
        v_first := nextval('stele.event_position');
        IF p_count > 1 THEN
            PERFORM setval('stele.event_position', v_first + p_count - 1);
        END IF;
    EXCEPTION WHEN OTHERS OR query_canceled THEN
        PERFORM pg_advisory_unlock(7596240315927650305);
        RAISE;
    END;
    PERFORM pg_advisory_unlock(7596240315927650305);
    RETURN v_first;
END $$;

-- Checks the stream's version, reserves positions and moves the stream forward by p_count events.
-- p_expected: -1 = any, 0 = the stream must not exist, n >= 1 = the stream must be at version n.
-- On a version conflict returns ok = false and the stream's actual version (0 = no stream) and
-- reserves nothing; the caller rolls back.
CREATE FUNCTION stele.begin_append(p_stream text, p_expected bigint, p_count integer,
    OUT ok boolean, OUT first_position bigint, OUT stream_version bigint)
LANGUAGE plpgsql AS $$
DECLARE
    v_current bigint;
BEGIN
    -- One appender per stream until it commits, so a stream's versions and positions grow together.
    -- An advisory lock, unlike a row lock, does not assign a transaction id: reserve_positions must.
    PERFORM pg_advisory_xact_lock(1937010801, hashtext(p_stream));
    SELECT s.version INTO v_current FROM stele.streams AS s WHERE s.stream_id = p_stream;
    v_current := coalesce(v_current, 0);
    IF p_expected <> -1 AND p_expected <> v_current THEN
        ok := false;
        stream_version := v_current;
        RETURN;
    END IF;
    first_position := stele.reserve_positions(p_count);
    stream_version := v_current + p_count;
    IF v_current = 0 THEN
        INSERT INTO stele.streams (stream_id, version) VALUES (p_stream, stream_version);
    ELSE
        UPDATE stele.streams AS s SET version = stream_version, updated_at = now()
        WHERE s.stream_id = p_stream AND s.version = v_current;
        IF NOT FOUND THEN
            RAISE EXCEPTION 'stele: stream % changed outside stele.begin_append', p_stream USING ERRCODE = 'SE409';
        END IF;
    END IF;
    ok := true;
END $$;

-- One round trip append for small batches: reserve, check version, insert, notify.
-- The events' stream versions run from stream_version - count + 1 to stream_version.
CREATE FUNCTION stele.append_events(p_stream text, p_expected bigint,
    p_types text[], p_schema_versions integer[], p_payloads jsonb[], p_notify boolean,
    OUT ok boolean, OUT first_position bigint, OUT stream_version bigint)
LANGUAGE plpgsql AS $$
DECLARE
    v_count integer := cardinality(p_types);
BEGIN
    IF v_count IS NULL OR v_count = 0 OR cardinality(p_schema_versions) <> v_count
       OR cardinality(p_payloads) <> v_count THEN
        RAISE EXCEPTION 'stele: append needs equally long, non-empty arrays' USING ERRCODE = 'SE400';
    END IF;
    SELECT b.ok, b.first_position, b.stream_version INTO ok, first_position, stream_version
    FROM stele.begin_append(p_stream, p_expected, v_count) AS b;
    IF NOT ok THEN
        RETURN;
    END IF;
    INSERT INTO stele.events (position, stream_id, stream_version, event_type, schema_version, payload)
    SELECT first_position + e.i - 1, p_stream, stream_version - v_count + e.i, e.t, e.v, e.p
    FROM unnest(p_types, p_schema_versions, p_payloads) WITH ORDINALITY AS e(t, v, p, i);
    IF p_notify THEN
        -- The payload is the last position: a subscriber then knows committed events exist beyond its cursor.
        PERFORM pg_notify('stele_events', (first_position + v_count - 1)::text);
    END IF;
END $$;

-- Projection checkpoints, advanced in the same transaction as the projection's own writes.
CREATE TABLE stele.projection_checkpoints (
    name       text        NOT NULL PRIMARY KEY,
    position   bigint      NOT NULL CHECK (position >= 0),
    updated_at timestamptz NOT NULL DEFAULT now()
);
