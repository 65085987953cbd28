import { counter, histogram } from '@snapex/telemetry';

/** What this extractor process has done with partitions since it started. */
export const extractorMetrics = {
  started: counter({
    name: 'snapex_partitions_started_total',
    help: 'Partitions this extractor started reading',
  }),
  exported: counter({
    name: 'snapex_partitions_exported_total',
    help: 'Partitions this extractor read and wrote to S3 whole',
  }),
  failed: counter({
    name: 'snapex_partitions_failed_total',
    help: 'Partition attempts that failed, by what followed: retry, fail-task, skip-table or unknown (retried)',
    labelNames: ['verdict'] as const,
  }),
  rows: counter({
    name: 'snapex_rows_exported_total',
    help: 'Rows this extractor wrote to Parquet files',
  }),
  bytes: counter({
    name: 'snapex_bytes_exported_total',
    help: 'Bytes of Parquet files this extractor wrote to S3',
  }),
  duration: histogram({
    name: 'snapex_partition_duration_seconds',
    help: 'Time to read, encode and upload one partition, by outcome (exported, stopped, interrupted, failed)',
    labelNames: ['outcome'] as const,
    buckets: [0.1, 0.5, 1, 5, 15, 60, 300, 900, 3600, 14_400],
  }),
};
