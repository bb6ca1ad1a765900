-- Auth, users and organizations (API.md section 3). Constraint names are
-- explicit: the auth actor maps unique violations by name (email_taken,
-- slug_taken, invite_used, handle collision -> retry).
CREATE TABLE IF NOT EXISTS organizations (
  id uuid PRIMARY KEY,
  name text NOT NULL,
  slug text NOT NULL CONSTRAINT organizations_slug_key UNIQUE,
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE IF NOT EXISTS users (
  id uuid PRIMARY KEY,
  email text NULL CONSTRAINT users_email_key UNIQUE,
  handle text NOT NULL CONSTRAINT users_handle_key UNIQUE,
  display_name text NULL,
  password_hash text NOT NULL,
  role text NOT NULL DEFAULT 'user' CHECK (role IN ('admin', 'counselor', 'user')),
  tier text NOT NULL DEFAULT 'free' CHECK (tier IN ('free', 'premium', 'admin')),
  org_id uuid NULL REFERENCES organizations (id),
  -- The invite this user registered with: unique, so an invite code can be
  -- used once even when two registrations race (the second gets a unique
  -- violation, answered 409 invite_used).
  invite_code_hash text NULL CONSTRAINT users_invite_code_hash_key UNIQUE,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS users_org_id_idx ON users (org_id);

-- One row per refresh token ever issued; a family (= the login session, the
-- access token's `sid`) is the chain of rotations from one login.
CREATE TABLE IF NOT EXISTS refresh_tokens (
  token_hash text PRIMARY KEY,
  family_id uuid NOT NULL,
  user_id uuid NOT NULL REFERENCES users (id),
  expires_at timestamptz NOT NULL,
  rotated_at timestamptz NULL,
  revoked_at timestamptz NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS refresh_tokens_family_idx ON refresh_tokens (family_id);
CREATE INDEX IF NOT EXISTS refresh_tokens_user_idx ON refresh_tokens (user_id);

CREATE TABLE IF NOT EXISTS org_invites (
  code_hash text PRIMARY KEY,
  org_id uuid NOT NULL REFERENCES organizations (id),
  role text NOT NULL CHECK (role IN ('admin', 'counselor', 'user')),
  expires_at timestamptz NOT NULL,
  used_at timestamptz NULL,
  used_by uuid NULL,
  created_by uuid NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE IF NOT EXISTS password_resets (
  token_hash text PRIMARY KEY,
  user_id uuid NOT NULL REFERENCES users (id),
  expires_at timestamptz NOT NULL,
  used_at timestamptz NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS password_resets_user_idx ON password_resets (user_id);
