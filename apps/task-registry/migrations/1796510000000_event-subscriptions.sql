-- Up Migration
-- RDS event subscriptions of each account: where the export events of its sources are delivered.
CREATE TABLE event_subscriptions (
  seq bigserial NOT NULL UNIQUE,
  account_id text NOT NULL,
  name text NOT NULL,
  -- SnsTopicArn as given: an SNS topic ARN or an http(s) webhook URL.
  sns_topic_arn text NOT NULL,
  status text NOT NULL CHECK (status IN ('creating', 'modifying', 'deleting', 'active', 'no-permission', 'topic-not-exist')),
  source_type text,
  source_ids text[] NOT NULL DEFAULT '{}',
  event_categories text[] NOT NULL DEFAULT '{}',
  enabled boolean NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (account_id, name)
);

-- The RDS events of export tasks, as DescribeEvents lists them.
CREATE TABLE rds_events (
  seq bigserial NOT NULL UNIQUE,
  event_id text PRIMARY KEY,
  account_id text NOT NULL,
  task_id uuid NOT NULL,
  export_task_identifier text NOT NULL,
  rds_event_id text NOT NULL,
  source_type text NOT NULL,
  source_identifier text NOT NULL,
  source_arn text NOT NULL,
  message text NOT NULL,
  event_categories text[] NOT NULL,
  occurred_at timestamptz NOT NULL
);
CREATE INDEX rds_events_by_account_and_time ON rds_events (account_id, occurred_at, seq);

-- The delivery log: one row per delivery of an event to a subscription, and one per attempt.
CREATE TABLE event_deliveries (
  seq bigserial NOT NULL UNIQUE,
  delivery_id text PRIMARY KEY,
  account_id text NOT NULL,
  subscription_name text NOT NULL,
  event_id text NOT NULL,
  rds_event_id text NOT NULL,
  source_identifier text NOT NULL,
  target jsonb NOT NULL,
  status text NOT NULL CHECK (status IN ('delivered', 'failed', 'dead-lettered')),
  attempts int NOT NULL,
  last_attempt_at timestamptz NOT NULL,
  last_http_status int,
  last_error text,
  -- Kept once dead-lettered, so the event can be inspected and delivered again.
  dead_letter jsonb
);
CREATE INDEX event_deliveries_by_account_newest_first ON event_deliveries (account_id, seq DESC);

CREATE TABLE event_delivery_attempts (
  delivery_id text NOT NULL REFERENCES event_deliveries (delivery_id) ON DELETE CASCADE,
  attempt int NOT NULL,
  outcome text NOT NULL,
  http_status int,
  error text,
  duration_ms int NOT NULL,
  attempted_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (delivery_id, attempt)
);

-- Down Migration
DROP TABLE event_delivery_attempts;
DROP TABLE event_deliveries;
DROP TABLE rds_events;
DROP TABLE event_subscriptions;
