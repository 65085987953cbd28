import { z } from 'zod';
import { EngineSchema } from '../model/export-task';
import { PartOutputSchema } from '../model/output-format';
import { ColumnPlanSchema, PartitionRangeSchema, TableRefSchema } from '../model/table-plan';
import { defineEvent, EventBaseSchema } from './event-contract';

/** Where an extractor reads a partition from: a source database pinned at one consistent point. */
export const ReadPointSchema = z.object({
  engine: EngineSchema,
  /** Name of the registered source (cluster) whose connection settings the extractor looks up. */
  sourceName: z.string(),
  database: z.string(),
  /** Engine-specific token for the consistent point (PostgreSQL: an exported snapshot id). */
  snapshotId: z.string().nullable(),
  /**
   * Set when the data is read from a restored copy rather than the source: the name of the configured
   * scratch server (`scratch.servers[].name`) that holds `database`. Null reads the source itself.
   */
  scratchServer: z.string().nullable().default(null),
});
export type ReadPoint = z.infer<typeof ReadPointSchema>;

export const DestinationSchema = z.object({
  bucket: z.string(),
  iamRoleArn: z.string(),
  kmsKeyId: z.string(),
  /** The export's SourceArn, which the role's session is tagged with. */
  sourceArn: z.string(),
  /** `<prefix>/<id>/<db>/<schema>.<table>/<partition_index>`, characters already replaced. */
  partitionKeyPrefix: z.string(),
});
export type Destination = z.infer<typeof DestinationSchema>;

/** One partition of one table to extract; sits on the work queue shared by every extractor. */
export const PartitionRequested = defineEvent(
  'PartitionRequested',
  'snapex.work.partition.requested.v1',
  'work',
  EventBaseSchema.extend({
    table: TableRefSchema,
    partitionIndex: z.number().int().positive(),
    columns: z.array(ColumnPlanSchema),
    range: PartitionRangeSchema.nullable(),
    readPoint: ReadPointSchema,
    destination: DestinationSchema,
    /** Codec and file size of the partition's files; absent, the extractor's configured gzip and size. */
    output: PartOutputSchema.optional(),
  }),
);
