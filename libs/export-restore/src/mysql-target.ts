import { OriginalTypeMapping } from '@snapex/contracts';
import { quoteMySqlIdentifier as quote } from '@snapex/engines';
import { Connection, createConnection } from 'mysql2/promise';
import { CalendarDate, Micros, RestoredValue, ScalarValue, TimeOfDay } from './parquet-rows';
import {
  ColumnDefinition,
  dateText,
  fallbackType,
  kindOfColumn,
  RestoredTableName,
  RestoreTarget,
  timeText,
  utcText,
} from './restore-target';

const ROWS_PER_INSERT = 500;

function parameterOf(value: RestoredValue): string | number | Buffer | null {
  if (value === null || Buffer.isBuffer(value) || typeof value === 'string' || typeof value === 'number')
    return value;
  // MySQL has no arrays: a list (from a PostgreSQL export) is kept as a JSON array.
  if (Array.isArray(value)) return JSON.stringify(value.map(jsonElement));
  if (value instanceof Micros) return utcText(value);
  if (value instanceof CalendarDate) return dateText(value);
  if (value instanceof TimeOfDay) return timeText(value);
  if (typeof value === 'boolean') return value ? 1 : 0;
  return value.toString();
}

function jsonElement(value: ScalarValue): unknown {
  if (value === null || typeof value === 'boolean' || typeof value === 'string') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? value : String(value);
  if (typeof value === 'bigint') return Number.isSafeInteger(Number(value)) ? Number(value) : String(value);
  const text = parameterOf(value);
  return Buffer.isBuffer(text) ? text.toString('base64') : text;
}

/** A MySQL or MariaDB database, the one the URL names; tables keep their names, the source schema dropped. */
export class MySqlRestoreTarget implements RestoreTarget {
  readonly engine = 'mysql' as const;
  private readonly knownTypes = new Map<string, boolean>();

  private constructor(private readonly connection: Connection) {}

  static async open(url: string): Promise<MySqlRestoreTarget> {
    const connection = await createConnection({ uri: url, charset: 'utf8mb4', supportBigNumbers: true });
    // DATETIME and TIMESTAMP values were exported as instants of UTC; a stored 0 stays 0.
    await connection.query("SET time_zone = '+00:00'");
    await connection.query("SET sql_mode = 'STRICT_ALL_TABLES,NO_AUTO_VALUE_ON_ZERO,NO_ENGINE_SUBSTITUTION'");
    return new MySqlRestoreTarget(connection);
  }

  async tableExists(name: RestoredTableName): Promise<boolean> {
    const [existing] = await this.connection.query(
      'SELECT 1 FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ?',
      [name.table],
    );
    return (existing as unknown[]).length > 0;
  }

  /** The tables go into the database the URL names. */
  async createSchemas(): Promise<void> {}

  async create(name: RestoredTableName, columns: readonly ColumnDefinition[]): Promise<void> {
    const definitions = columns.map(({ name: column, type }) => `${quote(column)} ${type}`);
    await this.connection.query(
      `CREATE TABLE ${quote(name.table)} (${definitions.join(', ')}) DEFAULT CHARACTER SET utf8mb4`,
    );
  }

  async insert(
    name: RestoredTableName,
    columns: readonly string[],
    rows: readonly RestoredValue[][],
  ): Promise<void> {
    const into = `INSERT INTO ${quote(name.table)} (${columns.map(quote).join(', ')}) VALUES ?`;
    for (let from = 0; from < rows.length; from += ROWS_PER_INSERT) {
      const batch = rows.slice(from, from + ROWS_PER_INSERT).map((row) => row.map(parameterOf));
      await this.connection.query(into, [batch]);
    }
  }

  close(): Promise<void> {
    return this.connection.end();
  }

  /** The original type when this server takes it in a table, tried on a temporary one. */
  async columnType(column: OriginalTypeMapping): Promise<string> {
    let known = this.knownTypes.get(column.originalType);
    if (known === undefined) {
      try {
        await this.connection.query(`CREATE TEMPORARY TABLE snapex_type_probe (c ${column.originalType})`);
        await this.connection.query('DROP TEMPORARY TABLE snapex_type_probe');
        known = true;
      } catch {
        known = false;
      }
      this.knownTypes.set(column.originalType, known);
    }
    return known ? column.originalType : fallbackType(kindOfColumn(column), 'mysql');
  }
}
