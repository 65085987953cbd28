import { PartitionRange } from '@snapex/contracts';
import { escapeIdentifier, escapeLiteral } from 'pg';

export class InvalidSnapshotIdError extends Error {
  constructor(snapshotId: string) {
    super(`not a PostgreSQL snapshot id: ${JSON.stringify(snapshotId)}`);
    this.name = 'InvalidSnapshotIdError';
  }
}

/**
 * A PostgreSQL identifier in double quotes, a quote inside doubled: any name (spaces, quotes, dots,
 * any letters) is safe to splice. Every identifier snapex writes into a statement goes through here.
 */
export function quoteIdentifier(name: string): string {
  return escapeIdentifier(name);
}

export function qualifiedTableName(schema: string, table: string): string {
  return `${quoteIdentifier(schema)}.${quoteIdentifier(table)}`;
}

/**
 * A table's own rows, without those of tables that inherit from it: each child is exported as a
 * table of its own, so reading a parent without ONLY would export the children's rows twice.
 */
export function ownRowsOf(schema: string, table: string): string {
  return `ONLY ${qualifiedTableName(schema, table)}`;
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

/**
 * `WHERE` conditions of a partition range: lower bound inclusive, upper bound exclusive. COPY takes
 * no bind parameters, so bounds are quoted literals, left untyped for the server to read as the
 * key column's type, as it would a parameter.
 */
function literal(value: string): string {
  // escapeLiteral puts a space before the E of an escape string.
  return escapeLiteral(value).trimStart();
}

export function rangeConditions(range: PartitionRange | null): string {
  if (range === null || range.constraintType === 'NONE') return '';
  const isCtid = range.constraintType === 'CTID';
  const column = isCtid ? 'ctid' : quoteIdentifier(range.column);
  const bound = (value: string) => (isCtid ? `${literal(ctidBound(value))}::tid` : literal(value));
  const conditions: string[] = [];
  if (range.lower !== null) conditions.push(`${column} >= ${bound(range.lower)}`);
  if (range.upper !== null) conditions.push(`${column} < ${bound(range.upper)}`);
  return conditions.join(' AND ');
}

/**
 * A value as its type's output function writes it, as text, for types whose `::text` cast is
 * something else: format() calls the output function. It turns NULL into '', so NULL is kept
 * apart, found with num_nulls() because `ROW(NULL, NULL) IS NULL` is true.
 */
export function textOutputExpression(quotedColumn: string): string {
  return `CASE WHEN pg_catalog.num_nulls(${quotedColumn}) = 1 THEN NULL ELSE pg_catalog.format('%s', ${quotedColumn}) END`;
}

/** Streams the selected expressions of a partition's rows in binary COPY format. */
export function partitionCopyStatement(
  schema: string,
  table: string,
  selectList: readonly string[],
  range: PartitionRange | null,
): string {
  const conditions = rangeConditions(range);
  const where = conditions ? ` WHERE ${conditions}` : '';
  const select = `SELECT ${selectList.join(', ')} FROM ${ownRowsOf(schema, table)}${where}`;
  return `COPY (${select}) TO STDOUT (FORMAT binary)`;
}
