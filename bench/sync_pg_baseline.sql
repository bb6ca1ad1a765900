-- bench/run-sync-upload's baseline: one transaction inserting 500 rows of the
-- size of a benchmark op (uuid key, ~250-byte payload), as one statement.
INSERT INTO bench_rows (id, owner, payload)
SELECT gen_random_uuid(), :client_id, repeat('x', 250) FROM generate_series(1, 500);
