import { PartitionRange } from '@snapex/contracts';
import { escapeIdentifier } from 'pg';

export interface Statement {
  text: string;
  values: string[];
}

export class InvalidSnapshotIdError extends Error {
  constructor(snapshotId: string) {
    super(`not a PostgreSQL snapshot id: ${JSON.stringify(snapshotId)}`);
    this.name = 'InvalidSnapshotIdError';
  }
}

export function qualifiedTableName(schema: string, table: string): string {
  return `${escapeIdentifier(schema)}.${escapeIdentifier(table)}`;
}

/** SET TRANSACTION SNAPSHOT takes no bind parameter, so the id is checked before it is spliced in. */
export function setSnapshotStatement(snapshotId: string): string {
  if (!/^[0-9A-F-]+$/i.test(snapshotId)) throw new InvalidSnapshotIdError(snapshotId);
  return `SET TRANSACTION SNAPSHOT '${snapshotId}'`;
}

/**
 * Output settings every read uses, so a value's text is the same whatever the server or role
 * defaults are: UTC ISO dates, postgres-style intervals, hex bytea, shortest exact floats.
 */
export const TEXT_OUTPUT_SETTINGS = [
  "SET LOCAL TimeZone = 'UTC'",
  "SET LOCAL DateStyle = 'ISO, YMD'",
  "SET LOCAL IntervalStyle = 'postgres'",
  "SET LOCAL bytea_output = 'hex'",
  'SET LOCAL extra_float_digits = 1',
  // A slow consumer (an S3 upload under backpressure) must not get its read cancelled by role defaults.
  'SET LOCAL statement_timeout = 0',
  'SET LOCAL idle_in_transaction_session_timeout = 0',
  // Every attempt at a partition reads its rows in the same order, so its files split at the same rows.
  'SET LOCAL synchronize_seqscans = off',
].join('; ');

function isPageNumber(bound: string): boolean {
  return /^\d+$/.test(bound);
}

function ctidBound(page: string): string {
  if (!isPageNumber(page)) throw new Error(`not a page number: ${JSON.stringify(page)}`);
  return `(${page},0)`;
}

/** `WHERE` conditions of a partition range: lower bound inclusive, upper bound exclusive. */
export function rangeConditions(range: PartitionRange | null, firstParameter = 1): Statement {
  if (range === null || range.constraintType === 'NONE') return { text: '', values: [] };
  const isCtid = range.constraintType === 'CTID';
  const column = isCtid ? 'ctid' : escapeIdentifier(range.column);
  const cast = isCtid ? '::tid' : '';
  const bound = (value: string) => (isCtid ? ctidBound(value) : value);
  const conditions: string[] = [];
  const values: string[] = [];
  if (range.lower !== null) {
    values.push(bound(range.lower));
    conditions.push(`${column} >= $${firstParameter + values.length - 1}${cast}`);
  }
  if (range.upper !== null) {
    values.push(bound(range.upper));
    conditions.push(`${column} < $${firstParameter + values.length - 1}${cast}`);
  }
  return { text: conditions.join(' AND '), values };
}

export function partitionSelect(
  schema: string,
  table: string,
  columnNames: readonly string[],
  range: PartitionRange | null,
): Statement {
  const columns = columnNames.map(escapeIdentifier).join(', ');
  const conditions = rangeConditions(range);
  const where = conditions.text ? ` WHERE ${conditions.text}` : '';
  return {
    text: `SELECT ${columns} FROM ${qualifiedTableName(schema, table)}${where}`,
    values: conditions.values,
  };
}
