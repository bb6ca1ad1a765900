-- Offline-first sync (API.md section 6; docs/sync.md). Every write of one
-- user's sync data happens in one transaction that first claims the user's
-- sync_state row (sync_claim below): the row lock serializes one user's
-- uploads across nodes, and the revision check makes an upload planned on a
-- stale read roll back and be planned again.

-- One row per user that ever uploaded: `revision` counts write transactions
-- (the optimistic check), `last_seq` is the last feed position handed out
-- (a per-user sequence assigned under the row lock, so it is commit order).
CREATE TABLE IF NOT EXISTS sync_state (
  user_id uuid PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
  revision bigint NOT NULL,
  last_seq bigint NOT NULL
);

-- The current version of each entity; ids are per user.
CREATE TABLE IF NOT EXISTS sync_entities (
  user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  entity_id uuid NOT NULL,
  entity text NOT NULL,
  version bigint NOT NULL CHECK (version > 0),
  deleted boolean NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (user_id, entity_id)
);

-- The first outcome of every op id (idempotent retries).
CREATE TABLE IF NOT EXISTS sync_ops (
  user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  op_id uuid NOT NULL,
  status text NOT NULL CHECK (status IN ('applied', 'conflict', 'rejected')),
  version bigint NOT NULL,
  server_version bigint NULL,
  error text NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT sync_ops_pkey PRIMARY KEY (user_id, op_id)
);

-- The change feed: one row per applied op, in per-user commit order.
CREATE TABLE IF NOT EXISTS sync_changes (
  user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  seq bigint NOT NULL,
  entity text NOT NULL,
  entity_id uuid NOT NULL,
  version bigint NOT NULL,
  kind text NOT NULL CHECK (kind IN ('upsert', 'delete')),
  payload text NULL,
  device_id text NOT NULL,
  op_id uuid NOT NULL,
  server_ts timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT sync_changes_pkey PRIMARY KEY (user_id, seq),
  CONSTRAINT sync_changes_version_key UNIQUE (user_id, entity_id, version)
);

-- Claims the user's sync state for one write transaction: takes the row lock
-- (held until COMMIT) and moves it from `p_revision` to the next revision
-- with `p_last_seq`. When another transaction moved it first, the plan was
-- made on a stale read: raise a unique violation named sync_state_moved so
-- the caller re-reads and plans again (the pool reports it as a conflict
-- with that constraint name and does not retry it itself).
CREATE OR REPLACE FUNCTION sync_claim(p_user uuid, p_revision bigint, p_last_seq bigint)
RETURNS void LANGUAGE plpgsql AS $fn$
BEGIN
  IF p_revision = 0 THEN
    INSERT INTO sync_state (user_id, revision, last_seq) VALUES (p_user, 1, p_last_seq)
      ON CONFLICT (user_id) DO NOTHING;
  ELSE
    UPDATE sync_state SET revision = revision + 1, last_seq = p_last_seq
      WHERE user_id = p_user AND revision = p_revision;
  END IF;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'sync state moved' USING ERRCODE = '23505', CONSTRAINT = 'sync_state_moved';
  END IF;
END
$fn$;
