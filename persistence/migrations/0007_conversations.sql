-- Conversations (API.md section 5; docs/conversations.md). The session row is
-- the truth a node's session actor caches: `version` counts committed turns
-- and every turn commits with UPDATE ... WHERE id = $1 AND version = $2, so
-- two nodes never interleave one session's turns. Message text is stored only
-- sealed (XChaCha20-Poly1305 under HAVEN_DATA_KEY, associated data = message
-- id + user id); the key that sealed a row is named by `key_id`.

CREATE TABLE IF NOT EXISTS conversation_sessions (
  id uuid PRIMARY KEY,
  user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  version bigint NOT NULL DEFAULT 0 CHECK (version >= 0),
  message_count integer NOT NULL DEFAULT 0 CHECK (message_count >= 0),
  -- 0 none, 1 low, 2 medium, 3 high, 4 critical: GREATEST keeps the highest
  max_risk_level smallint NOT NULL DEFAULT 0 CHECK (max_risk_level BETWEEN 0 AND 4),
  created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
  last_message_at timestamptz NULL
);
-- The owner's listing, newest first.
CREATE INDEX IF NOT EXISTS conversation_sessions_user_idx
  ON conversation_sessions (user_id, last_message_at DESC);

-- seq orders a session's messages: turn n (1-based) stores the user's message
-- at 2n and the reply at 2n + 1, in the same statement as the version bump.
CREATE TABLE IF NOT EXISTS conversation_messages (
  id uuid PRIMARY KEY,
  session_id uuid NOT NULL REFERENCES conversation_sessions (id) ON DELETE CASCADE,
  user_id uuid NOT NULL,
  seq bigint NOT NULL,
  role text NOT NULL CHECK (role IN ('user', 'assistant')),
  key_id text NOT NULL,
  nonce bytea NOT NULL CHECK (octet_length(nonce) = 24),
  ciphertext bytea NOT NULL,
  created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
  UNIQUE (session_id, seq)
);
-- `haven reencrypt` finds the rows of old keys.
CREATE INDEX IF NOT EXISTS conversation_messages_key_idx ON conversation_messages (key_id);
