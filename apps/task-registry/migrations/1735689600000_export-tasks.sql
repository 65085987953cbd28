-- Up Migration
CREATE TABLE export_tasks (
  task_id uuid PRIMARY KEY,
  -- Insertion order, for newest-first listing and stable paging markers.
  seq bigserial NOT NULL UNIQUE,
  account_id text NOT NULL,
  export_task_identifier text NOT NULL,
  source_arn text NOT NULL,
  source_type text NOT NULL CHECK (source_type IN ('SNAPSHOT', 'CLUSTER')),
  source_name text NOT NULL,
  engine text NOT NULL,
  s3_bucket text NOT NULL,
  s3_prefix text NOT NULL DEFAULT '',
  iam_role_arn text NOT NULL,
  kms_key_id text NOT NULL,
  export_only jsonb NOT NULL DEFAULT '[]',
  status text NOT NULL CHECK (status IN ('STARTING', 'IN_PROGRESS', 'COMPLETE', 'FAILED', 'CANCELING', 'CANCELED')),
  percent_progress integer NOT NULL DEFAULT 0,
  bytes_exported bigint NOT NULL DEFAULT 0,
  total_extracted_gb integer NOT NULL DEFAULT 0,
  export_time timestamptz,
  task_start_time timestamptz NOT NULL,
  task_end_time timestamptz,
  failure_cause text,
  -- RDS's `general` warnings; skipped tables are read from export_tables.
  warnings jsonb NOT NULL DEFAULT '[]',
  -- tableCount, skippedTableCount and partitionCount once ExportPlanned is applied.
  plan jsonb,
  extraction_completed_at timestamptz,
  CONSTRAINT export_tasks_identifier_per_account UNIQUE (account_id, export_task_identifier)
);

CREATE INDEX export_tasks_by_account_newest_first ON export_tasks (account_id, seq DESC);

-- One export at a time per source, even if two requests slip past the application's check.
CREATE UNIQUE INDEX export_tasks_one_active_per_source ON export_tasks (account_id, source_arn)
  WHERE status IN ('STARTING', 'IN_PROGRESS', 'CANCELING');

CREATE TABLE export_tables (
  task_id uuid NOT NULL REFERENCES export_tasks (task_id) ON DELETE CASCADE,
  table_index integer NOT NULL,
  database_name text NOT NULL,
  schema_name text NOT NULL,
  table_name text NOT NULL,
  target text NOT NULL,
  table_key_prefix text,
  -- columns and partitioning stay null for a table skipped before it was planned.
  columns jsonb,
  partitioning jsonb,
  estimated_bytes bigint NOT NULL DEFAULT 0,
  status text NOT NULL CHECK (status IN ('PLANNED', 'IN_PROGRESS', 'COMPLETE', 'SKIPPED', 'CANCELED')),
  skip_reason text,
  skip_detail text,
  PRIMARY KEY (task_id, table_index)
);

CREATE TABLE export_partitions (
  task_id uuid NOT NULL,
  table_index integer NOT NULL,
  partition_index integer NOT NULL,
  status text NOT NULL CHECK (status IN ('STARTED', 'EXPORTED', 'ABANDONED')),
  extractor text,
  row_count bigint NOT NULL DEFAULT 0,
  bytes bigint NOT NULL DEFAULT 0,
  objects jsonb NOT NULL DEFAULT '[]',
  started_at timestamptz,
  finished_at timestamptz,
  PRIMARY KEY (task_id, table_index, partition_index),
  FOREIGN KEY (task_id, table_index) REFERENCES export_tables (task_id, table_index) ON DELETE CASCADE
);

CREATE TABLE processed_events (
  event_id text PRIMARY KEY,
  task_id uuid NOT NULL,
  processed_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE outbox (
  id bigserial PRIMARY KEY,
  subject text NOT NULL,
  event_id text NOT NULL UNIQUE,
  payload jsonb NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  published_at timestamptz
);

CREATE INDEX outbox_unpublished ON outbox (id) WHERE published_at IS NULL;

-- Down Migration
DROP TABLE outbox;
DROP TABLE processed_events;
DROP TABLE export_partitions;
DROP TABLE export_tables;
DROP TABLE export_tasks;
