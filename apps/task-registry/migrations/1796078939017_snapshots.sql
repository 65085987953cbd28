-- Up Migration
CREATE TABLE snapshots (
  snapshot_id uuid PRIMARY KEY,
  -- Insertion order, for newest-first listing and stable paging markers.
  seq bigserial NOT NULL UNIQUE,
  account_id text NOT NULL,
  kind text NOT NULL CHECK (kind IN ('db-snapshot', 'cluster-snapshot')),
  -- Lower case, as RDS keeps snapshot identifiers; automated ones start with `rds:`.
  identifier text NOT NULL,
  arn text NOT NULL,
  engine text NOT NULL CHECK (engine IN ('postgres', 'mysql')),
  source_name text NOT NULL,
  status text NOT NULL CHECK (status IN ('creating', 'available', 'deleting', 'failed')),
  snapshot_type text NOT NULL CHECK (snapshot_type IN ('manual', 'automated')),
  -- SnapshotArchive: the bucket and one dump per database, once known.
  archive jsonb,
  total_bytes bigint NOT NULL DEFAULT 0,
  requested_at timestamptz NOT NULL DEFAULT now(),
  -- When the data is from (SnapshotCreateTime); null until available.
  snapshot_time timestamptz,
  failure_reason text,
  delete_requested_at timestamptz,
  CONSTRAINT snapshots_identifier_per_account UNIQUE (account_id, kind, identifier)
);

CREATE INDEX snapshots_by_account_newest_first ON snapshots (account_id, kind, seq DESC);
CREATE INDEX snapshots_waiting_for_deletion ON snapshots (seq) WHERE status = 'deleting';

-- The snapshot an export of SourceType SNAPSHOT reads (SnapshotSource), carried into its TaskSpec.
ALTER TABLE export_tasks ADD COLUMN snapshot jsonb;

-- Down Migration
ALTER TABLE export_tasks DROP COLUMN snapshot;
DROP TABLE snapshots;
