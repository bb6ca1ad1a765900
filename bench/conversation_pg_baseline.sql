-- bench/run-chat's PostgreSQL ceiling: what one chat turn of a new session
-- writes, without Haven: a session row and two message rows with a 24-byte
-- nonce and a ~200-byte ciphertext, in one statement.
WITH s AS (INSERT INTO bench_sessions (id, version) VALUES (gen_random_uuid(), 1) RETURNING id)
INSERT INTO bench_messages (id, session_id, seq, nonce, ciphertext)
SELECT gen_random_uuid(), s.id, k, gen_random_bytes(24), gen_random_bytes(200)
FROM s, generate_series(2, 3) AS k;
