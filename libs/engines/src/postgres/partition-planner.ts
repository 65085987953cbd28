import { DiscoveredTable, PartitionPlan } from '../engine';
import { keyRangePlan, partitioningInfo, rangesBetween, wholeTable } from '../partition-ranges';
import { PgSession } from './pg-session';
import { ownRowsOf, qualifiedTableName, quoteIdentifier } from './sql';

/** Rows read to place partition boundaries; enough for even partitions, cheap on any table. */
const SAMPLE_ROWS = 100_000;

interface KeyColumn {
  name: string;
  type: string;
}

interface TableShape {
  pages: number;
  estimatedRows: number;
}

/** Page numbers that cut `pages` pages into `count` runs of about the same length. */
export function pageBoundaries(pages: number, count: number): string[] {
  const perPartition = Math.ceil(pages / count);
  const boundaries: string[] = [];
  for (let page = perPartition; page < pages; page += perPartition) boundaries.push(String(page));
  return boundaries;
}

/**
 * Cuts a table into partitions of about targetBytes, seen at the pinned snapshot: by ranges of an
 * integer primary key (its leading column, for composite keys) placed at quantiles of a sample, or
 * else by ranges of heap pages (CTID), which PostgreSQL 14+ scans directly.
 */
export class PostgresPartitionPlanner {
  constructor(private readonly session: PgSession) {}

  async plan(table: DiscoveredTable, targetBytes: number): Promise<PartitionPlan> {
    const count = Math.ceil(table.estimatedBytes / targetBytes);
    if (count <= 1) return wholeTable();
    const name = qualifiedTableName(table.schema, table.table);
    const shape = await this.shapeOf(name);
    const key = await this.integerKeyOf(name);
    if (key) return this.planByKey(ownRowsOf(table.schema, table.table), key, count, shape);
    return this.planByPages(shape, count);
  }

  private async shapeOf(name: string): Promise<TableShape> {
    const [row] = await this.session.query<{ pages: string; estimated_rows: string }>(
      `SELECT (pg_relation_size($1::regclass) / current_setting('block_size')::bigint)::text AS pages,
              greatest(c.reltuples, 0)::bigint::text AS estimated_rows
         FROM pg_catalog.pg_class c WHERE c.oid = $1::regclass`,
      [name],
    );
    return { pages: Number(row.pages), estimatedRows: Number(row.estimated_rows) };
  }

  /** The primary key's leading column when it is an integer column. */
  private async integerKeyOf(name: string): Promise<KeyColumn | null> {
    const rows = await this.session.query<KeyColumn>(
      `SELECT a.attname AS name, format_type(a.atttypid, a.atttypmod) AS type
         FROM pg_catalog.pg_index i
         JOIN pg_catalog.pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = i.indkey[0]
        WHERE i.indrelid = $1::regclass AND i.indisprimary
          AND a.atttypid IN ('int2'::regtype, 'int4'::regtype, 'int8'::regtype)`,
      [name],
    );
    return rows[0] ?? null;
  }

  /** `rows` is the table's own rows (ONLY), as partitions read them. */
  private async planByKey(
    rows: string,
    key: KeyColumn,
    count: number,
    shape: TableShape,
  ): Promise<PartitionPlan> {
    const column = quoteIdentifier(key.name);
    const [bounds] = await this.session.query<{ min: string | null; max: string | null }>(
      `SELECT min(${column})::text AS min, max(${column})::text AS max FROM ${rows}`,
    );
    if (bounds.min === null || bounds.max === null) return wholeTable();
    const boundaries = await this.keyQuantiles(rows, column, count, shape);
    return keyRangePlan(key, { min: bounds.min, max: bounds.max }, boundaries);
  }

  private async keyQuantiles(
    rows: string,
    column: string,
    count: number,
    shape: TableShape,
  ): Promise<string[]> {
    const fractions = Array.from({ length: count - 1 }, (_, index) => (index + 1) / count);
    const percent = shape.estimatedRows > SAMPLE_ROWS ? (100 * SAMPLE_ROWS) / shape.estimatedRows : 100;
    const [row] = await this.session.query<{ quantiles: string[] | null }>(
      `SELECT (percentile_disc($1::float8[]) WITHIN GROUP (ORDER BY ${column}))::text[] AS quantiles
         FROM ${rows} TABLESAMPLE SYSTEM ($2)`,
      [fractions, percent],
    );
    return (row.quantiles ?? []).filter((value): value is string => value !== null);
  }

  private planByPages(shape: TableShape, count: number): PartitionPlan {
    const ranges = rangesBetween('ctid', 'CTID', pageBoundaries(shape.pages, count));
    const lastPage = Math.max(shape.pages - 1, 0);
    return {
      ranges,
      info: partitioningInfo(ranges.length, 'CTID', {
        columnName: 'ctid',
        columnType: 'TID',
        min: '(0,1)',
        max: `(${lastPage},1)`,
      }),
    };
  }
}
