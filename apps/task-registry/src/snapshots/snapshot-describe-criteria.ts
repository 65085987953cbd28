import {
  DescribeSnapshotsInput,
  EngineSchema,
  Fault,
  SnapshotKind,
  SnapshotTypeSchema,
} from '@snapex/contracts';
import { DEFAULT_MAX_RECORDS, MAX_MAX_RECORDS, MIN_MAX_RECORDS } from '../describe/describe-criteria';
import { decodeMarker } from '../describe/marker';
import { storedIdentifier } from './snapshot-identifiers';
import { SnapshotColumn, SnapshotCondition } from './snapshot.repository';

/** RDS's filter names of each kind, and the column each one reads. */
const FILTER_COLUMNS: Record<SnapshotKind, Record<string, SnapshotColumn>> = {
  'db-snapshot': {
    'db-snapshot-id': 'identifier',
    'db-instance-id': 'source_name',
    'snapshot-type': 'snapshot_type',
    engine: 'engine',
  },
  'cluster-snapshot': {
    'db-cluster-snapshot-id': 'identifier',
    'db-cluster-id': 'source_name',
    'snapshot-type': 'snapshot_type',
    engine: 'engine',
  },
};

export interface SnapshotCriteria {
  conditions: SnapshotCondition[];
  maxRecords: number;
  beforeSeq?: string;
}

/** Turns DescribeDBSnapshots / DescribeDBClusterSnapshots parameters into listing conditions. */
export function snapshotCriteria(kind: SnapshotKind, input: DescribeSnapshotsInput): SnapshotCriteria {
  const conditions: SnapshotCondition[] = [];
  if (input.snapshotIdentifier !== undefined) {
    conditions.push(conditionOf('identifier', [input.snapshotIdentifier]));
  }
  if (input.sourceIdentifier !== undefined) {
    conditions.push(conditionOf('source_name', [input.sourceIdentifier]));
  }
  if (input.snapshotType !== undefined) conditions.push(conditionOf('snapshot_type', [input.snapshotType]));
  for (const filter of input.filters ?? []) {
    const column = FILTER_COLUMNS[kind][filter.Name];
    if (!column) {
      throw new Fault(
        'InvalidParameterValue',
        `Unrecognized filter name: ${filter.Name}. Valid filter names: ${Object.keys(FILTER_COLUMNS[kind]).join(', ')}.`,
      );
    }
    if (filter.Values.length === 0) {
      throw new Fault('InvalidParameterValue', `The filter ${filter.Name} must have at least one value.`);
    }
    conditions.push(conditionOf(column, filter.Values));
  }
  return {
    conditions,
    maxRecords: maxRecordsOf(input.maxRecords),
    beforeSeq: input.marker === undefined ? undefined : decodeMarker(input.marker),
  };
}

function conditionOf(column: SnapshotColumn, values: string[]): SnapshotCondition {
  switch (column) {
    case 'identifier':
      return { column, values: values.map((value) => storedIdentifier(nameOf(value))) };
    case 'source_name':
      return { column, values: values.map(nameOf) };
    case 'snapshot_type':
      return {
        column,
        values: values.map((value) => checkedValue(SnapshotTypeSchema.options, 'SnapshotType', value)),
      };
    case 'engine':
      return { column, values: values.map((value) => checkedValue(EngineSchema.options, 'engine', value)) };
  }
}

const RDS_RESOURCE_ARN =
  /^arn:aws[a-z-]*:rds:[a-z0-9-]+:\d{12}:(?:db|cluster|snapshot|cluster-snapshot):(.+)$/;

/** RDS takes an identifier or the resource's ARN wherever it filters by identifier. */
function nameOf(value: string): string {
  return RDS_RESOURCE_ARN.exec(value)?.[1] ?? value;
}

function checkedValue(valid: readonly string[], parameter: string, value: string): string {
  if (!valid.includes(value)) {
    throw new Fault(
      'InvalidParameterValue',
      `Invalid ${parameter} value: ${value}. Valid values: ${valid.join(', ')}.`,
    );
  }
  return value;
}

function maxRecordsOf(maxRecords: number | undefined): number {
  if (maxRecords === undefined) return DEFAULT_MAX_RECORDS;
  if (maxRecords < MIN_MAX_RECORDS || maxRecords > MAX_MAX_RECORDS) {
    throw new Fault(
      'InvalidParameterValue',
      `The parameter MaxRecords must be between ${MIN_MAX_RECORDS} and ${MAX_MAX_RECORDS}.`,
    );
  }
  return maxRecords;
}
