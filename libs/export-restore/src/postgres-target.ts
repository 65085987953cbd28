import { OriginalTypeMapping } from '@snapex/contracts';
import { Client, escapeIdentifier } from 'pg';
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

/** PostgreSQL takes at most 65535 parameters in one statement. */
const MAX_PARAMETERS = 60_000;
const MAX_ROWS_PER_INSERT = 1_000;

/** A float's text as PostgreSQL reads it back to the same value, -0 and the non-finite ones included. */
function numberText(value: number): string {
  if (Object.is(value, -0)) return '-0';
  return Number.isFinite(value) ? String(value) : value > 0 ? 'Infinity' : value < 0 ? '-Infinity' : 'NaN';
}

/** An ISO date or timestamp with an astronomical year (0 is 1 BC) as PostgreSQL reads it: `0001-… BC`. */
function withEra(text: string): string {
  const [, sign, digits, rest] = /^(-?)(\d+)(.*)$/.exec(text)!;
  const year = sign ? -Number(digits) : Number(digits);
  return year > 0 ? text : `${String(1 - year).padStart(4, '0')}${rest} BC`;
}

/** An element of an array literal: NULL bare, anything else double-quoted with `"` and `\` escaped. */
function arrayElement(value: ScalarValue): string {
  const text = parameterOf(value);
  if (text === null) return 'NULL';
  const plain = Buffer.isBuffer(text) ? `\\x${text.toString('hex')}` : text;
  return `"${plain.replace(/[\\"]/g, (character) => `\\${character}`)}"`;
}

/** Every value goes as text (bytes as bytea), PostgreSQL's input function parsing it for the column's type. */
function parameterOf(value: RestoredValue): string | Buffer | null {
  if (value === null || Buffer.isBuffer(value) || typeof value === 'string') return value;
  if (Array.isArray(value)) return `{${value.map(arrayElement).join(',')}}`;
  if (value instanceof Micros) return withEra(value.instant ? `${utcText(value)}+00` : utcText(value));
  if (value instanceof CalendarDate) return withEra(dateText(value));
  if (value instanceof TimeOfDay) return timeText(value);
  if (typeof value === 'number') return numberText(value);
  if (typeof value === 'boolean') return value ? 't' : 'f';
  return value.toString();
}

export class PostgresRestoreTarget implements RestoreTarget {
  readonly engine = 'postgres' as const;

  private constructor(private readonly client: Client) {}

  static async open(url: string): Promise<PostgresRestoreTarget> {
    const client = new Client({ connectionString: url });
    await client.connect();
    // Timestamps are written with their offset; text of dates and times in the export is ISO.
    await client.query("SET TimeZone = 'UTC'; SET DateStyle = 'ISO, YMD'; SET IntervalStyle = 'postgres'");
    return new PostgresRestoreTarget(client);
  }

  async tableExists(name: RestoredTableName): Promise<boolean> {
    const { rowCount } = await this.client.query(
      'SELECT 1 FROM pg_tables WHERE schemaname = $1 AND tablename = $2',
      [name.schema ?? 'public', name.table],
    );
    return (rowCount ?? 0) > 0;
  }

  async createSchemas(schemas: readonly string[]): Promise<void> {
    for (const schema of schemas)
      await this.client.query(`CREATE SCHEMA IF NOT EXISTS ${escapeIdentifier(schema)}`);
  }

  async create(name: RestoredTableName, columns: readonly ColumnDefinition[]): Promise<void> {
    const definitions = columns.map(({ name: column, type }) => `${escapeIdentifier(column)} ${type}`);
    await this.client.query(`CREATE TABLE ${this.qualified(name)} (${definitions.join(', ')})`);
  }

  async insert(
    name: RestoredTableName,
    columns: readonly string[],
    rows: readonly RestoredValue[][],
  ): Promise<void> {
    if (columns.length === 0) return;
    const perInsert = Math.max(1, Math.min(MAX_ROWS_PER_INSERT, Math.floor(MAX_PARAMETERS / columns.length)));
    const into = `INSERT INTO ${this.qualified(name)} (${columns.map(escapeIdentifier).join(', ')}) VALUES `;
    for (let from = 0; from < rows.length; from += perInsert) {
      const batch = rows.slice(from, from + perInsert);
      const parameters: (string | Buffer | null)[] = [];
      const tuples = batch.map((row) => {
        const placeholders = row.map((value) => {
          parameters.push(parameterOf(value));
          return `$${parameters.length}`;
        });
        return `(${placeholders.join(', ')})`;
      });
      await this.client.query(into + tuples.join(', '), parameters);
    }
  }

  close(): Promise<void> {
    return this.client.end();
  }

  private qualified(name: RestoredTableName): string {
    return `${escapeIdentifier(name.schema ?? 'public')}.${escapeIdentifier(name.table)}`;
  }

  /** The original type when this database resolves it (a type made by the source, e.g. an enum, may be missing). */
  async columnType(column: OriginalTypeMapping): Promise<string> {
    try {
      const { rows } = await this.client.query<{ known: boolean }>(
        'SELECT to_regtype($1) IS NOT NULL AS known',
        [column.originalType],
      );
      if (rows[0].known) return column.originalType;
    } catch {
      // A name this database cannot even parse (another engine's type) is not one of its types.
    }
    return fallbackType(kindOfColumn(column), 'postgres');
  }
}
