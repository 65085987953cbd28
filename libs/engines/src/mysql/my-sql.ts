import { ColumnPlan, PartitionRange } from '@snapex/contracts';

export class InvalidKeyBoundError extends Error {
  constructor(bound: string) {
    super(`not an integer key bound: ${JSON.stringify(bound)}`);
    this.name = 'InvalidKeyBoundError';
  }
}

/** A MySQL identifier in backticks, a backtick inside doubled: any name is safe to splice. */
export function quoteIdentifier(name: string): string {
  return `\`${name.replace(/`/g, '``')}\``;
}

export function qualifiedTableName(database: string, table: string): string {
  return `${quoteIdentifier(database)}.${quoteIdentifier(table)}`;
}

/**
 * Key bounds are spliced as integer literals: a bound bound as a string parameter would be compared
 * with the BIGINT key as a double, losing precision past 2^53. So they are checked first.
 */
function integerLiteral(bound: string): string {
  if (!/^-?\d{1,20}$/.test(bound)) throw new InvalidKeyBoundError(bound);
  return bound;
}

/** `WHERE` conditions of a key range: lower bound inclusive, upper bound exclusive. */
export function rangeConditions(range: PartitionRange | null): string {
  if (range === null || range.constraintType !== 'PRIMARY_KEY') return '';
  const column = quoteIdentifier(range.column);
  const conditions: string[] = [];
  if (range.lower !== null) conditions.push(`${column} >= ${integerLiteral(range.lower)}`);
  if (range.upper !== null) conditions.push(`${column} < ${integerLiteral(range.upper)}`);
  return conditions.join(' AND ');
}

/**
 * A FLOAT as the DOUBLE that holds it exactly: the server prints a FLOAT with 6 significant digits
 * (123456792 as 123457000) and a DOUBLE with as many as it takes. A negative zero, which a FLOAT
 * gets when a tiny negative value underflows, prints as `0`; ATAN2 tells its sign.
 */
export function exactFloat(name: string): string {
  return `CASE WHEN ${name} = 0 AND ATAN2(${name}, -1) < 0 THEN '-0' ELSE CAST(${name} AS DOUBLE) END`;
}

/** What the reader selects for a column: spatial values through CONCAT(), which returns their bytes unparsed. */
function selectExpression(column: Pick<ColumnPlan, 'name' | 'decoder'>): string {
  const name = quoteIdentifier(column.name);
  if (column.decoder === 'geometry') return `CONCAT(${name})`;
  if (column.decoder === 'float') return exactFloat(name);
  return name;
}

export function partitionSelect(
  database: string,
  table: string,
  columns: readonly Pick<ColumnPlan, 'name' | 'decoder'>[],
  range: PartitionRange | null,
): string {
  const conditions = rangeConditions(range);
  const where = conditions ? ` WHERE ${conditions}` : '';
  return `SELECT ${columns.map(selectExpression).join(', ')} FROM ${qualifiedTableName(database, table)}${where}`;
}

/** Opens a read-only transaction whose snapshot every later read of the connection sees. */
export const CONSISTENT_SNAPSHOT_STATEMENTS = [
  'SET SESSION TRANSACTION ISOLATION LEVEL REPEATABLE READ',
  'START TRANSACTION WITH CONSISTENT SNAPSHOT, READ ONLY',
] as const;
