-- Up Migration
-- How the task's Parquet files are written (OutputFormat: type mode, codec and level, file size), as
-- decided at StartExportTask; null for tasks started before it existed, which write the RDS output.
ALTER TABLE export_tasks ADD COLUMN output jsonb;

-- Down Migration
ALTER TABLE export_tasks DROP COLUMN output;
