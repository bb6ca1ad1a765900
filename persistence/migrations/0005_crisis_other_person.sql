-- Crisis events (issue 11): the writer reports someone else at risk now
-- (API.md section 4, `other_person`). The crisis.detected event already
-- carries it; the stored event keeps it too, so a counselor reading the row
-- later knows the person at risk is not the writer. Older rows: false.
ALTER TABLE crisis_events ADD COLUMN IF NOT EXISTS other_person boolean NOT NULL DEFAULT false;
