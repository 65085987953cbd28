import { DiscoveredTable, PartitionPlan } from '../engine';
import { keyRangePlan, quantilesOf, wholeTable } from '../partition-ranges';
import { isNewerThanSnapshot, MySqlSession } from './my-session';
import { qualifiedTableName, quoteIdentifier } from './my-sql';

/** Keys read to place partition boundaries; enough for even partitions. */
const SAMPLE_ROWS = 100_000;

const INTEGER_TYPES = ['tinyint', 'smallint', 'mediumint', 'int', 'integer', 'bigint'];

/** The primary key's leading column when it is an integer column. */
const INTEGER_KEY_SQL = `
  SELECT s.COLUMN_NAME AS name, c.COLUMN_TYPE AS type
    FROM information_schema.STATISTICS s
    JOIN information_schema.COLUMNS c
      ON c.TABLE_SCHEMA = s.TABLE_SCHEMA AND c.TABLE_NAME = s.TABLE_NAME AND c.COLUMN_NAME = s.COLUMN_NAME
   WHERE s.TABLE_SCHEMA = ? AND s.TABLE_NAME = ? AND s.INDEX_NAME = 'PRIMARY' AND s.SEQ_IN_INDEX = 1
     AND c.DATA_TYPE IN (${INTEGER_TYPES.map(() => '?').join(', ')})`;

const TABLE_ROWS_SQL = `
  SELECT CAST(COALESCE(TABLE_ROWS, 0) AS CHAR) AS estimated_rows
    FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ?`;

interface KeyColumn {
  name: string;
  type: string;
}

/**
 * Cuts a table into partitions of about targetBytes, seen at the read point's snapshot, by ranges of
 * an integer primary key (its leading column, for composite keys) placed at quantiles of a random
 * sample of keys, so skewed keys still make even partitions. Tables without such a key are read whole.
 */
export class MySqlPartitionPlanner {
  constructor(
    private readonly session: MySqlSession,
    private readonly database: string,
  ) {}

  /**
   * A table created or rebuilt since the read point cannot be looked at in its snapshot; it is read
   * whole, in the extractor's own snapshot.
   */
  async plan(table: DiscoveredTable, targetBytes: number): Promise<PartitionPlan> {
    return this.planInSnapshot(table, targetBytes).catch((error: unknown) => {
      if (isNewerThanSnapshot(error)) return wholeTable();
      throw error;
    });
  }

  private async planInSnapshot(table: DiscoveredTable, targetBytes: number): Promise<PartitionPlan> {
    const count = Math.ceil(table.estimatedBytes / targetBytes);
    if (count <= 1) return wholeTable();
    const key = await this.integerKeyOf(table.table);
    // Large enough to cut, with nothing to cut it by: one worker reads it all (RDS-EVENT-0486).
    if (!key) return wholeTable('NO_PARTITION_KEY');
    const name = qualifiedTableName(this.database, table.table);
    const column = quoteIdentifier(key.name);
    const [bounds] = await this.session.query<{ min: string | null; max: string | null }>(
      `SELECT CAST(MIN(${column}) AS CHAR) AS min, CAST(MAX(${column}) AS CHAR) AS max FROM ${name}`,
    );
    if (bounds.min === null || bounds.max === null) return wholeTable();
    const sample = await this.sampleKeys(table.table, name, column);
    return keyRangePlan(key, { min: bounds.min, max: bounds.max }, quantilesOf(sample, count));
  }

  private async integerKeyOf(table: string): Promise<KeyColumn | null> {
    const rows = await this.session.query<KeyColumn>(INTEGER_KEY_SQL, [
      this.database,
      table,
      ...INTEGER_TYPES,
    ]);
    return rows[0] ?? null;
  }

  /** About SAMPLE_ROWS keys drawn at random, as text (BIGINT UNSIGNED exceeds every JS integer type but bigint). */
  private async sampleKeys(table: string, name: string, column: string): Promise<string[]> {
    const [{ estimated_rows }] = await this.session.query<{ estimated_rows: string }>(TABLE_ROWS_SQL, [
      this.database,
      table,
    ]);
    const rows = Number(estimated_rows);
    const fraction = rows > SAMPLE_ROWS ? SAMPLE_ROWS / rows : 1;
    const sampled = await this.session.rows(
      `SELECT CAST(${column} AS CHAR) FROM ${name}${fraction < 1 ? ' WHERE RAND() < ?' : ''}`,
      fraction < 1 ? [fraction] : [],
    );
    return sampled.map(([key]) => String(key));
  }
}
