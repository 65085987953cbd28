-- Up Migration
-- Values the source holds that a partition's files have as NULL (NulledValueCount[]), e.g. DATETIME
-- values that name no instant; null when there were none.
ALTER TABLE export_partitions ADD COLUMN nulled_values jsonb;

-- Down Migration
ALTER TABLE export_partitions DROP COLUMN nulled_values;
