import { z } from 'zod';
import { TaskSpecSchema } from '../model/export-task';
import { SkippedObjectiveSchema } from '../model/export-plan';
import { NulledValueCountSchema } from '../model/nulled-values';
import { TableDescriptionSchema, TableRefSchema } from '../model/table-plan';
import { defineEvent, EventBaseSchema } from './event-contract';

/** task-registry accepted StartExportTask; the task is STARTING. */
export const TaskStarted = defineEvent(
  'TaskStarted',
  'snapex.export.task.started.v1',
  'events',
  EventBaseSchema.extend({ spec: TaskSpecSchema, taskStartTime: z.string().datetime() }),
);

/** credential-validator assumed the role and proved the bucket and key usable. */
export const CredentialsValidated = defineEvent(
  'CredentialsValidated',
  'snapex.export.credentials.validated.v1',
  'events',
  EventBaseSchema.extend({ spec: TaskSpecSchema }),
);

export const SkipReasonSchema = z.object({ reason: z.string(), detail: z.string().optional() });

/** restorer (or an extractor) left a table out of the export; the task goes on. */
export const TableSkipped = defineEvent(
  'TableSkipped',
  'snapex.export.table.skipped.v1',
  'events',
  EventBaseSchema.extend({
    table: TableRefSchema,
    target: z.string(),
    reason: z.string(),
    detail: z.string().optional(),
  }),
);

/** restorer planned one table: its columns and how it is cut into partitions. */
export const TablePlanned = defineEvent(
  'TablePlanned',
  'snapex.export.table.planned.v1',
  'events',
  EventBaseSchema.merge(TableDescriptionSchema),
);

/** restorer finished planning: every TablePlanned, TableSkipped and PartitionRequested is published. */
export const ExportPlanned = defineEvent(
  'ExportPlanned',
  'snapex.export.plan.completed.v1',
  'events',
  EventBaseSchema.extend({
    exportTime: z.string().datetime(),
    tableCount: z.number().int().nonnegative(),
    skippedTableCount: z.number().int().nonnegative(),
    partitionCount: z.number().int().nonnegative(),
    /** Warnings that concern the export as a whole (RDS's `general` list). */
    general: z.array(z.object({ reason: z.string(), detail: z.string().optional() })),
    /** ExportOnly entries that matched nothing (RDS's `skippedObjectives` list). */
    skippedObjectives: z.array(SkippedObjectiveSchema).default([]),
  }),
);

export const PartitionKeySchema = z.object({
  table: TableRefSchema,
  partitionIndex: z.number().int().positive(),
});

/** An extractor took a partition off the work queue and started reading it. */
export const PartitionStarted = defineEvent(
  'PartitionStarted',
  'snapex.export.partition.started.v1',
  'events',
  EventBaseSchema.merge(PartitionKeySchema).extend({ extractor: z.string() }),
);

export const ExportedObjectSchema = z.object({
  key: z.string(),
  bytes: z.number().int().nonnegative(),
  rows: z.number().int().nonnegative(),
});

/** A partition's rows are in the bucket. */
export const PartitionExported = defineEvent(
  'PartitionExported',
  'snapex.export.partition.exported.v1',
  'events',
  EventBaseSchema.merge(PartitionKeySchema).extend({
    rowCount: z.number().int().nonnegative(),
    bytes: z.number().int().nonnegative(),
    objects: z.array(ExportedObjectSchema),
    startedAt: z.string().datetime(),
    finishedAt: z.string().datetime(),
    /** Values the source holds that the partition's files have as NULL; absent when there were none. */
    nulledValues: z.array(NulledValueCountSchema).optional(),
  }),
);

/** A partition was dropped because its task is being canceled or has failed. */
export const PartitionAbandoned = defineEvent(
  'PartitionAbandoned',
  'snapex.export.partition.abandoned.v1',
  'events',
  EventBaseSchema.merge(PartitionKeySchema).extend({ reason: z.enum(['CANCELED', 'TASK_ENDED']) }),
);

/**
 * task-registry saw a table still being exported `hoursRunning` whole periods of
 * registry.longTableNoticeMinutes after its first partition started; announced once per period.
 */
export const TableStillExporting = defineEvent(
  'TableStillExporting',
  'snapex.export.table.still-exporting.v1',
  'events',
  EventBaseSchema.extend({
    table: TableRefSchema,
    target: z.string(),
    extractionStartTime: z.string().datetime(),
    periodsRunning: z.number().int().positive(),
    bytesExported: z.number().int().nonnegative(),
  }),
);

/** task-registry recomputed progress after a partition finished. */
export const TaskProgressed = defineEvent(
  'TaskProgressed',
  'snapex.export.task.progressed.v1',
  'events',
  EventBaseSchema.extend({
    percentProgress: z.number().int().min(0).max(100),
    partitionsDone: z.number().int().nonnegative(),
    partitionsTotal: z.number().int().nonnegative(),
    tablesDone: z.number().int().nonnegative(),
    tablesTotal: z.number().int().nonnegative(),
    bytesExported: z.number().int().nonnegative(),
  }),
);

/** task-registry saw the last partition exported; metadata-writer takes over. */
export const ExtractionCompleted = defineEvent(
  'ExtractionCompleted',
  'snapex.export.extraction.completed.v1',
  'events',
  EventBaseSchema.extend({ spec: TaskSpecSchema }),
);

/** metadata-writer wrote the metadata files: the export is COMPLETE. */
export const TaskCompleted = defineEvent(
  'TaskCompleted',
  'snapex.export.task.completed.v1',
  'events',
  EventBaseSchema.extend({
    taskEndTime: z.string().datetime(),
    totalExtractedDataInGB: z.number().int().nonnegative(),
    totalBytes: z.number().int().nonnegative(),
  }),
);

export const FailureStageSchema = z.enum(['VALIDATION', 'PLANNING', 'EXTRACTION', 'METADATA']);
export type FailureStage = z.infer<typeof FailureStageSchema>;

/** Any stage gave up on the task; FailureCause is what the user reads. */
export const TaskFailed = defineEvent(
  'TaskFailed',
  'snapex.export.task.failed.v1',
  'events',
  EventBaseSchema.extend({ stage: FailureStageSchema, failureCause: z.string().min(1) }),
);

/** A caller canceled the task; it is CANCELING until every stage has stopped. */
export const CancelRequested = defineEvent(
  'CancelRequested',
  'snapex.export.task.cancel-requested.v1',
  'events',
  EventBaseSchema,
);

/** Every stage has stopped; the task is CANCELED. */
export const TaskCanceled = defineEvent(
  'TaskCanceled',
  'snapex.export.task.canceled.v1',
  'events',
  EventBaseSchema.extend({ taskEndTime: z.string().datetime() }),
);
