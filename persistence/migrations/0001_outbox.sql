-- The transactional outbox (ARCHITECTURE.md rule 5): events written in the
-- same transaction as the change they describe, relayed to NATS in `seq`
-- order and deleted once NATS accepted them. `event` is the full event JSON
-- exactly as it will be published (text, not jsonb: delivered byte for byte).
CREATE TABLE IF NOT EXISTS outbox (seq bigserial PRIMARY KEY, id uuid NOT NULL UNIQUE, type text NOT NULL, subject text NOT NULL, aggregate_id text NOT NULL, org_id uuid NULL, request_id text NULL, event text NOT NULL, created_at timestamptz NOT NULL DEFAULT now());
