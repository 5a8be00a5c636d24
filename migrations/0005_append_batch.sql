-- Group commit: several independent appends (to any streams) in one transaction and one round trip.
-- Append i targets p_streams[i] with expectation p_expected[i] (-1 any, 0 no stream, n exactly n)
-- and owns the next p_counts[i] entries of the flat event arrays. Each append succeeds or fails
-- on its own: one row per append comes back with ok, first_position and stream_version (the
-- stream's actual version when ok is false). Appends to the same stream apply in array order.
CREATE FUNCTION stele.append_batch(p_streams text[], p_expected bigint[], p_counts integer[],
    p_types text[], p_schema_versions integer[], p_payloads jsonb[])
RETURNS TABLE (ok boolean, first_position bigint, stream_version bigint)
LANGUAGE plpgsql AS $$
DECLARE
    v_appends integer := cardinality(p_streams);
    v_events integer := cardinality(p_types);
    v_ok boolean[] := '{}';
    v_first bigint[] := '{}';
    v_version bigint[] := '{}';
    v_versions jsonb;          -- stream id -> running version
    v_changed text[] := '{}';
    v_current bigint;
    v_total integer := 0;
    v_next bigint;
    v_offset integer := 0;
    v_pos bigint[] := '{}';
    v_stream bigint[] := '{}';
    v_event_stream text[] := '{}';
    v_event_index integer[] := '{}';
    v_key integer;
    i integer;
    j integer;
BEGIN
    IF coalesce(v_appends, 0) = 0 OR cardinality(p_expected) <> v_appends OR cardinality(p_counts) <> v_appends
       OR coalesce(v_events, 0) = 0 OR cardinality(p_schema_versions) <> v_events OR cardinality(p_payloads) <> v_events
       OR (SELECT sum(c) FROM unnest(p_counts) AS c) <> v_events
       OR EXISTS (SELECT 1 FROM unnest(p_counts) AS c WHERE c IS NULL OR c < 1) THEN
        RAISE EXCEPTION 'stele: append_batch needs matching, non-empty arrays' USING ERRCODE = 'SE400';
    END IF;

    -- The same per-stream locks as stele.begin_append, taken in key order so batches cannot deadlock.
    FOR v_key IN SELECT DISTINCT hashtext(s) FROM unnest(p_streams) AS s ORDER BY 1 LOOP
        PERFORM pg_advisory_xact_lock(1937010801, v_key);
    END LOOP;

    SELECT coalesce(jsonb_object_agg(s.stream_id, s.version), '{}') INTO v_versions
    FROM stele.streams AS s WHERE s.stream_id = ANY (p_streams);

    FOR i IN 1 .. v_appends LOOP
        v_current := coalesce((v_versions ->> p_streams[i])::bigint, 0);
        IF p_expected[i] = -1 OR p_expected[i] = v_current THEN
            v_ok := v_ok || true;
            v_version := v_version || (v_current + p_counts[i]);
            v_versions := jsonb_set(v_versions, ARRAY[p_streams[i]], to_jsonb(v_current + p_counts[i]));
            v_changed := v_changed || p_streams[i];
            v_total := v_total + p_counts[i];
        ELSE
            v_ok := v_ok || false;
            v_version := v_version || v_current;
        END IF;
    END LOOP;

    IF v_total > 0 THEN
        v_next := stele.reserve_positions(v_total);
    END IF;
    FOR i IN 1 .. v_appends LOOP
        IF v_ok[i] THEN
            v_first := v_first || v_next;
            FOR j IN 1 .. p_counts[i] LOOP
                v_pos := v_pos || (v_next + j - 1);
                v_stream := v_stream || (v_version[i] - p_counts[i] + j);
                v_event_stream := v_event_stream || p_streams[i];
                v_event_index := v_event_index || (v_offset + j);
            END LOOP;
            v_next := v_next + p_counts[i];
        ELSE
            v_first := v_first || NULL::bigint;
        END IF;
        v_offset := v_offset + p_counts[i];
    END LOOP;

    IF v_total > 0 THEN
        INSERT INTO stele.events (position, stream_id, stream_version, event_type, schema_version, payload)
        SELECT e.pos, e.stream, e.version, p_types[e.idx], p_schema_versions[e.idx], p_payloads[e.idx]
        FROM unnest(v_pos, v_event_stream, v_stream, v_event_index) AS e(pos, stream, version, idx);

        INSERT INTO stele.streams AS s (stream_id, version)
        SELECT c.stream, (v_versions ->> c.stream)::bigint FROM (SELECT DISTINCT unnest(v_changed) AS stream) AS c
        ON CONFLICT (stream_id) DO UPDATE SET version = EXCLUDED.version, updated_at = now();
    END IF;

    RETURN QUERY SELECT r.ok, r.first_position, r.stream_version FROM unnest(v_ok, v_first, v_version) AS r(ok, first_position, stream_version);
END $$;
