-- Large values (a BatchDistilled event of 16,384-65,536 entries, a batch's packed openings) were
-- compressed with pglz as they were TOASTed: measured on a 16,384-entry batch, pglz cost 120-180 ms
-- for the event and 270-620 ms for the openings (random salts: it ran to the end, then kept them
-- uncompressed), under the log stream's append lock; lz4 cost 24-70 ms, stores them smaller, and reads
-- the event back 12x faster (docs/benchmarks.md, UDP broker). Only new values are affected: each
-- stored value names its own method, so older rows read as before. Small events are never compressed.
-- A server built without lz4 keeps pglz for the event and stops compressing the openings instead.
DO $$
BEGIN
    ALTER TABLE stele.events ALTER COLUMN payload SET COMPRESSION lz4;
    ALTER TABLE stele.packed_openings ALTER COLUMN openings SET COMPRESSION lz4;
EXCEPTION WHEN feature_not_supported THEN
    ALTER TABLE stele.packed_openings ALTER COLUMN openings SET STORAGE EXTERNAL;
END $$;
