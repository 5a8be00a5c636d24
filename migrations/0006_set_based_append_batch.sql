-- Group commit without loops: stele.append_batch (0005) built its arrays with `||` inside plpgsql
-- loops, quadratic in the batch size and slow per event. The new stele.append_batch keeps the same
-- signature and contract (one result row per append, each checked on its own, appends to the same
-- stream apply in array order) but does the work in a few set-based statements when every append
-- targets a different stream, which is what the client's group commit always sends. A batch that
-- repeats a stream still goes through the old, sequential function, renamed.

ALTER FUNCTION stele.append_batch(text[], bigint[], integer[], text[], integer[], jsonb[])
    RENAME TO append_batch_in_order;

CREATE FUNCTION stele.append_batch(p_streams text[], p_expected bigint[], p_counts integer[],
    p_types text[], p_schema_versions integer[], p_payloads jsonb[])
RETURNS TABLE (ok boolean, first_position bigint, stream_version bigint)
LANGUAGE plpgsql
-- Array arguments make the planner prefer a fresh custom plan for every statement on every call,
-- which cost more than the work itself; the generic plans are the right ones for any batch.
SET plan_cache_mode = force_generic_plan
AS $$
DECLARE
    v_appends integer := cardinality(p_streams);
    v_events integer := cardinality(p_types);
    v_current bigint[];     -- each append's stream version before the batch
    v_ok boolean[];         -- each append's expectation held
    v_event_offset integer[]; -- where each append's events start in the flat arrays (0-based)
    v_position_offset bigint[]; -- where each accepted append's positions start, from the first reserved
    v_total integer;
    v_first bigint;
BEGIN
    IF coalesce(v_appends, 0) = 0 OR cardinality(p_expected) <> v_appends OR cardinality(p_counts) <> v_appends
       OR coalesce(v_events, 0) = 0 OR cardinality(p_schema_versions) <> v_events OR cardinality(p_payloads) <> v_events
       OR (SELECT sum(c) FROM unnest(p_counts) AS c) <> v_events
       OR EXISTS (SELECT 1 FROM unnest(p_counts) AS c WHERE c IS NULL OR c < 1) THEN
        RAISE EXCEPTION 'stele: append_batch needs matching, non-empty arrays' USING ERRCODE = 'SE400';
    END IF;
    IF (SELECT count(DISTINCT s) FROM unnest(p_streams) AS s) <> v_appends THEN
        RETURN QUERY SELECT * FROM stele.append_batch_in_order(p_streams, p_expected, p_counts, p_types, p_schema_versions, p_payloads);
        RETURN;
    END IF;

    -- The same per-stream locks as stele.begin_append, taken in key order so batches cannot deadlock.
    -- The versions are read by the NEXT statement, whose snapshot is taken after the locks are held.
    PERFORM pg_advisory_xact_lock(1937010801, l.k)
    FROM (SELECT DISTINCT hashtext(s) AS k FROM unnest(p_streams) AS s ORDER BY 1) AS l;

    SELECT array_agg(a.cur ORDER BY a.i), array_agg(a.ok ORDER BY a.i),
           array_agg(a.event_offset ORDER BY a.i), array_agg(a.position_offset ORDER BY a.i),
           coalesce(sum(a.c) FILTER (WHERE a.ok), 0)
    INTO v_current, v_ok, v_event_offset, v_position_offset, v_total
    FROM (
        SELECT v.i, v.c, v.cur, v.ok,
               (sum(v.c) OVER w - v.c)::integer AS event_offset,
               sum(CASE WHEN v.ok THEN v.c ELSE 0 END) OVER w - CASE WHEN v.ok THEN v.c ELSE 0 END AS position_offset
        FROM (
            SELECT r.i, r.c, coalesce(s.version, 0) AS cur, r.e = -1 OR r.e = coalesce(s.version, 0) AS ok
            FROM unnest(p_streams, p_expected, p_counts) WITH ORDINALITY AS r(stream, e, c, i)
            LEFT JOIN stele.streams AS s ON s.stream_id = r.stream
        ) AS v
        WINDOW w AS (ORDER BY v.i)
    ) AS a;

    IF v_total > 0 THEN
        v_first := stele.reserve_positions(v_total);

        INSERT INTO stele.events (position, stream_id, stream_version, event_type, schema_version, payload)
        SELECT v_first + v_position_offset[r.i] + j - 1, r.stream, v_current[r.i] + j,
               p_types[v_event_offset[r.i] + j], p_schema_versions[v_event_offset[r.i] + j], p_payloads[v_event_offset[r.i] + j]
        FROM unnest(p_streams, p_counts) WITH ORDINALITY AS r(stream, c, i)
        CROSS JOIN LATERAL generate_series(1, r.c) AS j
        WHERE v_ok[r.i]
        ORDER BY r.i, j;

        INSERT INTO stele.streams AS s (stream_id, version)
        SELECT r.stream, v_current[r.i] + r.c
        FROM unnest(p_streams, p_counts) WITH ORDINALITY AS r(stream, c, i)
        WHERE v_ok[r.i]
        ON CONFLICT (stream_id) DO UPDATE SET version = EXCLUDED.version, updated_at = now();
    END IF;

    RETURN QUERY
    SELECT v_ok[r.i],
           CASE WHEN v_ok[r.i] THEN v_first + v_position_offset[r.i] END,
           v_current[r.i] + CASE WHEN v_ok[r.i] THEN r.c ELSE 0 END
    FROM unnest(p_counts) WITH ORDINALITY AS r(c, i)
    ORDER BY r.i;
END $$;

-- The single-append paths (the API's in-transaction append, bulk append) plan the same way.
ALTER FUNCTION stele.append_events(text, bigint, text[], integer[], jsonb[], boolean) SET plan_cache_mode = force_generic_plan;
ALTER FUNCTION stele.begin_append(text, bigint, integer) SET plan_cache_mode = force_generic_plan;
