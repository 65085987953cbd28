-- Up Migration
-- ExportOnly entries that matched nothing in the source (RDS's `skippedObjectives`).
ALTER TABLE export_tasks ADD COLUMN skipped_objectives jsonb NOT NULL DEFAULT '[]';

-- Why a large table is read by one worker (NO_PARTITION_KEY), for export_tables_info.
ALTER TABLE export_tables ADD COLUMN single_worker_reason text;

-- Down Migration
ALTER TABLE export_tables DROP COLUMN single_worker_reason;
ALTER TABLE export_tasks DROP COLUMN skipped_objectives;
