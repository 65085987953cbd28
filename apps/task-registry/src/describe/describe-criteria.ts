import { DescribeExportTasksInput, EXPORT_TASK_STATUSES, Fault } from '@snapex/contracts';
import { FilterableColumn, TaskCondition } from '../tasks/task.repository';
import { decodeMarker } from './marker';

export const DEFAULT_MAX_RECORDS = 100;
export const MIN_MAX_RECORDS = 20;
export const MAX_MAX_RECORDS = 100;

const FILTER_COLUMNS: Record<string, FilterableColumn> = {
  'export-task-identifier': 'export_task_identifier',
  's3-bucket': 's3_bucket',
  'source-arn': 'source_arn',
  status: 'status',
};

export interface DescribeCriteria {
  conditions: TaskCondition[];
  maxRecords: number;
  beforeSeq?: string;
}

/** Turns DescribeExportTasks parameters into listing conditions, rejecting what RDS would reject. */
export function describeCriteria(input: DescribeExportTasksInput): DescribeCriteria {
  const conditions: TaskCondition[] = [];
  if (input.ExportTaskIdentifier !== undefined) {
    conditions.push({ column: 'export_task_identifier', values: [input.ExportTaskIdentifier] });
  }
  if (input.SourceArn !== undefined) conditions.push({ column: 'source_arn', values: [input.SourceArn] });
  if (input.SourceType !== undefined) conditions.push({ column: 'source_type', values: [input.SourceType] });
  for (const filter of input.Filters ?? []) conditions.push(filterCondition(filter.Name, filter.Values));
  return {
    conditions,
    maxRecords: maxRecordsOf(input.MaxRecords),
    beforeSeq: input.Marker === undefined ? undefined : decodeMarker(input.Marker),
  };
}

function filterCondition(name: string, values: string[]): TaskCondition {
  const column = FILTER_COLUMNS[name];
  if (!column) {
    throw new Fault(
      'InvalidParameterValue',
      `Unrecognized filter name: ${name}. Valid filter names: ${Object.keys(FILTER_COLUMNS).join(', ')}.`,
    );
  }
  if (values.length === 0) {
    throw new Fault('InvalidParameterValue', `The filter ${name} must have at least one value.`);
  }
  return { column, values: column === 'status' ? values.map(statusOf) : values };
}

/** Status filter values are lower-case in RDS (in_progress); upper-case is accepted too. */
function statusOf(value: string): string {
  const status = value.toUpperCase();
  if (!(EXPORT_TASK_STATUSES as readonly string[]).includes(status)) {
    throw new Fault(
      'InvalidParameterValue',
      `Invalid status filter value: ${value}. Valid values: ${EXPORT_TASK_STATUSES.map((s) => s.toLowerCase()).join(', ')}.`,
    );
  }
  return status;
}

export function maxRecordsOf(maxRecords: number | undefined): number {
  if (maxRecords === undefined) return DEFAULT_MAX_RECORDS;
  if (!Number.isInteger(maxRecords) || maxRecords < MIN_MAX_RECORDS || maxRecords > MAX_MAX_RECORDS) {
    throw new Fault(
      'InvalidParameterValue',
      `The parameter MaxRecords must be between ${MIN_MAX_RECORDS} and ${MAX_MAX_RECORDS}.`,
    );
  }
  return maxRecords;
}
