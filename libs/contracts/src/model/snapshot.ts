import { z } from 'zod';
import { EngineSchema } from './engine';

/**
 * How one database of a snapshot is archived in the snapshot store:
 * - `pg-custom`: one `pg_dump --format=custom` file (restorable in parallel with `pg_restore --jobs`);
 * - `pg-directory`: a `pg_dump --format=directory` tree under a key prefix;
 * - `mysql-sql`: one `mariadb-dump`/`mysqldump --single-transaction` SQL file of a single database,
 *   written without `CREATE DATABASE`/`USE`, so it restores into a database of any name.
 * The object may be gzip-compressed when its key ends in `.gz`.
 */
export const DumpFormatSchema = z.enum(['pg-custom', 'pg-directory', 'mysql-sql']);
export type DumpFormat = z.infer<typeof DumpFormatSchema>;

/** RDS's snapshot statuses that snapex uses. */
export const SnapshotStatusSchema = z.enum(['creating', 'available', 'deleting', 'failed']);
export type SnapshotStatus = z.infer<typeof SnapshotStatusSchema>;

/** `db-snapshot` of a DB instance (`...:snapshot:<name>`), `cluster-snapshot` of a cluster (`...:cluster-snapshot:<name>`). */
export const SnapshotKindSchema = z.enum(['db-snapshot', 'cluster-snapshot']);
export type SnapshotKind = z.infer<typeof SnapshotKindSchema>;

export const DatabaseDumpSchema = z.object({
  database: z.string().min(1),
  format: DumpFormatSchema,
  /** Object key of the dump file, or the key prefix of a directory dump. */
  key: z.string().min(1),
  bytes: z.number().int().nonnegative(),
});
export type DatabaseDump = z.infer<typeof DatabaseDumpSchema>;

/** Where a snapshot's data lives: one dump per database, in the snapshot store. */
export const SnapshotArchiveSchema = z.object({
  bucket: z.string().min(3),
  dumps: z.array(DatabaseDumpSchema),
});
export type SnapshotArchive = z.infer<typeof SnapshotArchiveSchema>;

/** What the restorer needs to export a snapshot: carried in TaskSpec.snapshot for SourceType SNAPSHOT. */
export const SnapshotSourceSchema = z.object({
  snapshotArn: z.string(),
  snapshotIdentifier: z.string(),
  kind: SnapshotKindSchema,
  engine: EngineSchema,
  /** When the data is from: the export's SnapshotTime and ExportTime. */
  snapshotTime: z.string().datetime(),
  archive: SnapshotArchiveSchema,
});
export type SnapshotSource = z.infer<typeof SnapshotSourceSchema>;
