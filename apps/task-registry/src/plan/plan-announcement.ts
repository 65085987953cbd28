import {
  EventPayload,
  eventIdFor,
  ExportPlanned,
  partitionKeyPrefix,
  PartitionRequested,
  PlannedTable,
  SkippedTable,
  TableDescriptionSchema,
  TablePlanEntry,
  TablePlanned,
  TableSkipped,
  taskEventFields,
  TaskSpec,
} from '@snapex/contracts';

export interface PlanTotals {
  exportTime: string;
  general: EventPayload<typeof ExportPlanned>['general'];
  skippedObjectives: EventPayload<typeof ExportPlanned>['skippedObjectives'];
}

/** The events a recorded plan is announced with. */
export interface PlanAnnouncement {
  tablesSkipped: EventPayload<typeof TableSkipped>[];
  tablesPlanned: EventPayload<typeof TablePlanned>[];
  exportPlanned: EventPayload<typeof ExportPlanned>;
  partitions: EventPayload<typeof PartitionRequested>[];
}

/**
 * The events that announce a recorded plan. Their ids come from the task and the table and partition
 * numbers, so announcing the same plan again repeats them.
 */
export function planAnnouncement(
  spec: TaskSpec,
  entries: TablePlanEntry[],
  totals: PlanTotals,
): PlanAnnouncement {
  const planned = entries.filter((entry): entry is PlannedTable => entry.kind === 'planned');
  const skipped = entries.filter((entry): entry is SkippedTable => entry.kind === 'skipped');
  const partitions = planned.flatMap((table) => partitionRequests(spec, table));
  return {
    tablesSkipped: skipped.map((entry) => tableSkipped(spec, entry)),
    tablesPlanned: planned.map((entry) => tablePlanned(spec, entry)),
    exportPlanned: {
      ...taskEventFields(spec),
      eventId: eventIdFor(ExportPlanned, spec.taskId),
      exportTime: totals.exportTime,
      tableCount: planned.length,
      skippedTableCount: skipped.length,
      partitionCount: partitions.length,
      general: totals.general,
      skippedObjectives: totals.skippedObjectives,
    },
    partitions,
  };
}

function tableSkipped(spec: TaskSpec, entry: SkippedTable): EventPayload<typeof TableSkipped> {
  return {
    ...taskEventFields(spec),
    eventId: eventIdFor(TableSkipped, spec.taskId, entry.table.tableIndex),
    table: entry.table,
    target: entry.target,
    reason: entry.reason,
    detail: entry.detail,
  };
}

function tablePlanned(spec: TaskSpec, entry: PlannedTable): EventPayload<typeof TablePlanned> {
  return {
    ...taskEventFields(spec),
    eventId: eventIdFor(TablePlanned, spec.taskId, entry.table.tableIndex),
    ...TableDescriptionSchema.parse(entry),
  };
}

function partitionRequests(spec: TaskSpec, entry: PlannedTable): EventPayload<typeof PartitionRequested>[] {
  return entry.ranges.map((range, offset) => {
    const partitionIndex = offset + 1;
    return {
      ...taskEventFields(spec),
      eventId: eventIdFor(PartitionRequested, spec.taskId, entry.table.tableIndex, partitionIndex),
      table: entry.table,
      partitionIndex,
      columns: entry.columns,
      range,
      readPoint: entry.readPoint,
      destination: {
        bucket: spec.s3Bucket,
        iamRoleArn: spec.iamRoleArn,
        kmsKeyId: spec.kmsKeyId,
        sourceArn: spec.sourceArn,
        partitionKeyPrefix: partitionKeyPrefix(entry.tableKeyPrefix, partitionIndex),
      },
      ...(spec.output
        ? { output: { compression: spec.output.compression, fileTargetBytes: spec.output.fileTargetBytes } }
        : {}),
    };
  });
}
