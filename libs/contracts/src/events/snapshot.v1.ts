import { z } from 'zod';
import { EngineSchema } from '../model/engine';
import { SnapshotArchiveSchema, SnapshotKindSchema } from '../model/snapshot';
import { defineEvent } from './event-contract';

/** The ids every event of one snapshot carries. */
export const SnapshotEventBaseSchema = z.object({
  /** Idempotency key: derived from the snapshot id, so a republished event carries the same id. */
  eventId: z.string().min(1),
  snapshotId: z.string().uuid(),
  accountId: z.string().regex(/^\d{12}$/),
  kind: SnapshotKindSchema,
  snapshotIdentifier: z.string().min(1),
  occurredAt: z.string().datetime(),
});
export type SnapshotEventBase = z.infer<typeof SnapshotEventBaseSchema>;

/** A snapshot to take: dump every database of the source into the snapshot store. Work queue. */
export const SnapshotRequested = defineEvent(
  'SnapshotRequested',
  'snapex.work.snapshot.requested.v1',
  'work',
  SnapshotEventBaseSchema.extend({
    snapshotArn: z.string(),
    /** The registered source (`sources[].name`) whose databases are dumped. */
    sourceName: z.string().min(1),
    engine: EngineSchema,
    bucket: z.string().min(3),
    /** `<prefix><account>/<kind>/<name>/`: each database's dump is `<keyPrefix><database>.<ext>`. */
    keyPrefix: z.string().min(1),
  }),
);

/** Every database is dumped and stored: the snapshot is available. */
export const SnapshotCreated = defineEvent(
  'SnapshotCreated',
  'snapex.snapshot.created.v1',
  'events',
  SnapshotEventBaseSchema.extend({
    archive: SnapshotArchiveSchema,
    /** When the data is from: the earliest consistent point of the databases' dumps. */
    snapshotTime: z.string().datetime(),
    totalBytes: z.number().int().nonnegative(),
  }),
);

/** The snapshot could not be taken; it stays listed as failed until deleted. */
export const SnapshotFailed = defineEvent(
  'SnapshotFailed',
  'snapex.snapshot.failed.v1',
  'events',
  SnapshotEventBaseSchema.extend({ reason: z.string().min(1) }),
);

/** The fields every event of a snapshot repeats, stamped now; eventId is added by the publisher. */
export function snapshotEventFields(snapshot: {
  snapshotId: string;
  accountId: string;
  kind: z.infer<typeof SnapshotKindSchema>;
  snapshotIdentifier: string;
}): Omit<SnapshotEventBase, 'eventId'> {
  return {
    snapshotId: snapshot.snapshotId,
    accountId: snapshot.accountId,
    kind: snapshot.kind,
    snapshotIdentifier: snapshot.snapshotIdentifier,
    occurredAt: new Date().toISOString(),
  };
}
