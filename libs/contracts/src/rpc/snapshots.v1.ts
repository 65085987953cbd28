import { z } from 'zod';
import { EngineSchema } from '../model/engine';
import { DumpFormatSchema, SnapshotKindSchema, SnapshotStatusSchema } from '../model/snapshot';
import { DescribeFilterSchema } from './registry.v1';
import { InputText } from '../input-text';
import { defineRpc } from './rpc-contract';

const AccountId = z.string().regex(/^\d{12}$/);

export const SnapshotTypeSchema = z.enum(['manual', 'automated']);
export type SnapshotType = z.infer<typeof SnapshotTypeSchema>;

/**
 * A snapshot as the registry reports it, one shape for both kinds; the gateway renders it as RDS's
 * DBSnapshot or DBClusterSnapshot.
 */
export const SnapshotViewSchema = z.object({
  kind: SnapshotKindSchema,
  identifier: z.string(),
  arn: z.string(),
  /** The registered source the snapshot is of: DBInstanceIdentifier / DBClusterIdentifier. */
  sourceIdentifier: z.string(),
  engine: EngineSchema,
  status: SnapshotStatusSchema,
  snapshotType: SnapshotTypeSchema,
  /** When the data is from; absent until the snapshot is available. */
  snapshotCreateTime: z.string().datetime().optional(),
  /** When the snapshot was asked for. */
  requestedAt: z.string().datetime(),
  percentProgress: z.number().int().min(0).max(100),
  totalBytes: z.number().int().nonnegative(),
  databases: z.array(z.string()),
  failureReason: z.string().optional(),
});
export type SnapshotView = z.infer<typeof SnapshotViewSchema>;

/** The parts of a snapshot request that are the same for DB snapshots and cluster snapshots. */
const SnapshotRequest = z.object({ accountId: AccountId, kind: SnapshotKindSchema });

export const CreateSnapshotRpc = defineRpc(
  'snapex.rpc.registry.create-snapshot.v1',
  SnapshotRequest.extend({ snapshotIdentifier: InputText, sourceIdentifier: InputText }),
  SnapshotViewSchema,
);

export const DumpObjectInputSchema = z.object({
  Database: InputText,
  Format: DumpFormatSchema,
  S3Key: InputText,
});
export type DumpObjectInput = z.infer<typeof DumpObjectInputSchema>;

/** RegisterDBSnapshot / RegisterDBClusterSnapshot: existing dumps in the snapshot store become a snapshot. */
export const RegisterSnapshotRpc = defineRpc(
  'snapex.rpc.registry.register-snapshot.v1',
  SnapshotRequest.extend({
    snapshotIdentifier: InputText,
    sourceIdentifier: InputText,
    engine: EngineSchema.optional(),
    dumps: z.array(DumpObjectInputSchema),
  }),
  SnapshotViewSchema,
);

export const DescribeSnapshotsInputSchema = z.object({
  snapshotIdentifier: InputText.optional(),
  sourceIdentifier: InputText.optional(),
  snapshotType: InputText.optional(),
  filters: z.array(DescribeFilterSchema).optional(),
  marker: InputText.optional(),
  maxRecords: z.number().int().optional(),
});
export type DescribeSnapshotsInput = z.infer<typeof DescribeSnapshotsInputSchema>;

export const DescribeSnapshotsRpc = defineRpc(
  'snapex.rpc.registry.describe-snapshots.v1',
  SnapshotRequest.extend({ input: DescribeSnapshotsInputSchema }),
  z.object({ snapshots: z.array(SnapshotViewSchema), marker: z.string().optional() }),
);
export type DescribeSnapshotsResult = z.infer<(typeof DescribeSnapshotsRpc)['response']>;

export const DeleteSnapshotRpc = defineRpc(
  'snapex.rpc.registry.delete-snapshot.v1',
  SnapshotRequest.extend({ snapshotIdentifier: InputText }),
  SnapshotViewSchema,
);

/** What a dump worker asks before dumping: a snapshot no longer `creating` needs no dump. */
export const GetSnapshotStatusRpc = defineRpc(
  'snapex.rpc.registry.get-snapshot-status.v1',
  z.object({ snapshotId: z.string().uuid() }),
  z.object({ status: z.union([SnapshotStatusSchema, z.literal('missing')]) }),
);
