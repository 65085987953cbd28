import { z } from 'zod';
import { GeneralWarningSchema, SkippedObjectiveSchema, TablePlanEntrySchema } from '../model/export-plan';
import { defineRpc } from './rpc-contract';

/**
 * The restorer hands the registry its plan a few tables at a time, under an attempt id of its own;
 * nothing is published until RecordPlanRpc fixes one attempt as the task's only plan.
 */
export const ProposeTablePlansRpc = defineRpc(
  'snapex.rpc.registry.propose-table-plans.v1',
  z.object({
    taskId: z.string().uuid(),
    attempt: z.string().uuid(),
    entries: z.array(TablePlanEntrySchema).min(1),
  }),
  /** The attempt already recorded as the task's plan, if any: a later attempt can stop planning. */
  z.object({ recordedAttempt: z.string().uuid().nullable() }),
);

/**
 * Records the attempt's proposed tables as the task's plan, unless another attempt was recorded first.
 * The registry then announces the recorded plan (tables, ExportPlanned, every PartitionRequested)
 * through its outbox, so a plan is published whole and only once however often planning is retried.
 */
export const RecordPlanRpc = defineRpc(
  'snapex.rpc.registry.record-plan.v1',
  z.object({
    taskId: z.string().uuid(),
    attempt: z.string().uuid(),
    /** How many entries the attempt proposed, so a lost proposal is noticed rather than recorded short. */
    entryCount: z.number().int().nonnegative(),
    exportTime: z.string().datetime(),
    general: z.array(GeneralWarningSchema),
    skippedObjectives: z.array(SkippedObjectiveSchema).default([]),
  }),
  z.discriminatedUnion('outcome', [
    /** `recordedAttempt` is this attempt, or the one recorded before it. */
    z.object({ outcome: z.literal('RECORDED'), recordedAttempt: z.string().uuid() }),
    /** The plan does not cover a table's keys exactly once; the registry failed the task. */
    z.object({ outcome: z.literal('REFUSED'), failureCause: z.string() }),
  ]),
);
