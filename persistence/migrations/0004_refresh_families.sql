-- Refresh-token families (issue 12, H2): one row per login session (= the
-- access token's `sid`). Rotation locks this row (SELECT … FOR UPDATE) and
-- every revocation updates it, so the two serialize on it: a rotation that
-- waited for a revocation sees `revoked_at` and issues nothing, and a
-- revocation that waited for a rotation revokes the family the new token
-- belongs to. `expires_at` is the family's absolute end (never extended;
-- HAVEN_SESSION_MAX_AGE_S from the first login).
CREATE TABLE IF NOT EXISTS refresh_families (
  id uuid PRIMARY KEY,
  user_id uuid NOT NULL REFERENCES users (id),
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL,
  revoked_at timestamptz NULL
);
CREATE INDEX IF NOT EXISTS refresh_families_user_idx ON refresh_families (user_id);

-- Existing families: revoked when any of their tokens was revoked (only
-- family-wide revocations ever set refresh_tokens.revoked_at, so a family the
-- old race left with one live token is closed here too); 30 days from the
-- first token.
INSERT INTO refresh_families (id, user_id, created_at, expires_at, revoked_at)
SELECT family_id, (array_agg(user_id))[1], min(created_at), min(created_at) + interval '30 days',
       max(revoked_at)
FROM refresh_tokens GROUP BY family_id
ON CONFLICT (id) DO NOTHING;

ALTER TABLE refresh_tokens ADD CONSTRAINT refresh_tokens_family_fk
  FOREIGN KEY (family_id) REFERENCES refresh_families (id);
