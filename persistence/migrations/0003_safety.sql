-- Safety (API.md section 4): crisis events for counselors, and the
-- moderation review queue. Neither table holds message text: the events and
-- items say who, when, how severe and why, never what was written
-- (text at rest waits for encryption at rest; docs/safety.md).

-- org_id NULL: the user has no organization (no counselor sees the event;
-- it still goes out on the bus as crisis.detected).
CREATE TABLE IF NOT EXISTS crisis_events (
  id uuid PRIMARY KEY,
  org_id uuid NULL REFERENCES organizations (id),
  user_id uuid NOT NULL REFERENCES users (id),
  session_id text NULL,
  risk_level text NOT NULL CHECK (risk_level IN ('high', 'critical')),
  score double precision NOT NULL,
  status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'acknowledged')),
  acknowledged_by uuid NULL REFERENCES users (id),
  note text NULL,
  created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
  acknowledged_at timestamptz NULL
);
-- The counselor's list: one organization, one status, severity then age.
CREATE INDEX IF NOT EXISTS crisis_events_org_status_idx
  ON crisis_events (org_id, status, created_at);

CREATE TABLE IF NOT EXISTS moderation_items (
  id uuid PRIMARY KEY,
  org_id uuid NULL REFERENCES organizations (id),
  user_id uuid NOT NULL REFERENCES users (id),
  direction text NOT NULL CHECK (direction IN ('input', 'output')),
  -- [{"name": "...", "score": 0.0}, ...] exactly as answered
  categories jsonb NOT NULL,
  action text NOT NULL CHECK (action IN ('allow', 'redact', 'block')),
  status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'approved', 'removed')),
  resolved_by uuid NULL REFERENCES users (id),
  created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
  resolved_at timestamptz NULL
);
CREATE INDEX IF NOT EXISTS moderation_items_org_status_idx
  ON moderation_items (org_id, status, created_at);
