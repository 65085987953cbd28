import { Inject, Injectable } from '@nestjs/common';
import { PlannedTable, rangeTilingFault } from '@snapex/contracts';
import { Connection } from '../database/registry-database';
import { ExportedPartition, PlanRepository } from './plan.repository';
import { RecordedPlanRepository } from './recorded-plan.repository';

/**
 * The last look before an export is called complete: every table of the recorded plan was read
 * range by range over its whole key space, each partition once, and the rows each partition reported
 * are the rows its files hold. Whatever does not add up is named, so the task fails instead.
 */
@Injectable()
export class PlanAudit {
  constructor(
    @Inject(PlanRepository) private readonly plans: PlanRepository,
    @Inject(RecordedPlanRepository) private readonly recordedPlans: RecordedPlanRepository,
  ) {}

  /** What is wrong with the exported data against the plan, one finding per table; empty when nothing. */
  async findings(tx: Connection, taskId: string): Promise<string[]> {
    const tables = await this.recordedPlans.recordedTables(tx, taskId);
    if (tables.length === 0) return [];
    const skipped = new Set(await this.plans.skippedTableIndexes(tx, taskId));
    const exported = byTable(await this.plans.exportedPartitions(tx, taskId));
    return tables
      .filter((table) => !skipped.has(table.table.tableIndex))
      .map((table) => tableFinding(table, exported.get(table.table.tableIndex) ?? []))
      .filter((finding): finding is string => finding !== null);
  }
}

function byTable(partitions: ExportedPartition[]): Map<number, ExportedPartition[]> {
  const tables = new Map<number, ExportedPartition[]>();
  for (const partition of partitions) {
    const ofTable = tables.get(partition.tableIndex) ?? [];
    ofTable.push(partition);
    tables.set(partition.tableIndex, ofTable);
  }
  return tables;
}

function tableFinding(table: PlannedTable, partitions: ExportedPartition[]): string | null {
  const problem = rangeTilingFault(table.ranges) ?? partitionsProblem(table.ranges.length, partitions);
  return problem === null ? null : `${table.target}: ${problem}`;
}

function partitionsProblem(planned: number, partitions: ExportedPartition[]): string | null {
  const indexes = new Set(partitions.map((partition) => partition.partitionIndex));
  for (let index = 1; index <= planned; index++) {
    if (!indexes.has(index)) return `partition ${index} of ${planned} was not exported`;
  }
  const extra = partitions.find((partition) => partition.partitionIndex > planned);
  if (extra) return `partition ${extra.partitionIndex} was exported but only ${planned} were planned`;
  const miscounted = partitions.find((partition) => partition.rowCount !== partition.objectRows);
  if (miscounted) {
    return (
      `partition ${miscounted.partitionIndex} reported ${miscounted.rowCount} rows ` +
      `but its files hold ${miscounted.objectRows}`
    );
  }
  return null;
}

/** The FailureCause of an export whose data does not add up. */
export function auditFailureCause(findings: string[]): string {
  const named = findings.slice(0, 3).join('; ');
  const more = findings.length > 3 ? ` (and ${findings.length - 3} more tables)` : '';
  return (
    `The exported data does not match the export's plan, so the export was not completed: ${named}${more}. ` +
    'Start the export again; if this repeats, report it with the task id.'
  );
}
