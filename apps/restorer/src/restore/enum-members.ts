import { engineFor, quoteMySqlIdentifier as quoteIdentifier } from '@snapex/engines';
import { DumpFailedError } from '../snapshots/dump-process';
import { createConnection } from 'mysql2/promise';
import { Transform } from 'node:stream';
import { withConnection } from './server-login';

/**
 * An ENUM or SET column whose definition MariaDB prints with `?` for each 4-byte character of its
 * members (its metadata is utf8mb3): `broken` as SHOW CREATE TABLE, and so mariadb-dump, writes
 * it, `repaired` with the members as the table holds them.
 */
export interface MemberRepair {
  table: string;
  column: string;
  broken: string;
  repaired: string;
}

interface DefinedColumn {
  tableName: string;
  columnName: string;
  dataType: 'enum' | 'set';
  columnType: string;
}

/**
 * The members of a column could not be read because the user may not create the temporary table they
 * are read through: a privilege to grant, not a failure another attempt gets past.
 */
export class MembersUnreadableError extends DumpFailedError {
  constructor(database: string, column: DefinedColumn, cause: unknown) {
    super(
      `the ${column.dataType.toUpperCase()} column ${column.tableName}.${column.columnName} has members with 4-byte characters, ` +
        `which are read through a temporary table: grant the CREATE TEMPORARY TABLES privilege on ${database} ` +
        `(${(cause as Error).message})`,
    );
    this.name = 'MembersUnreadableError';
  }
}

const UNPRINTABLE_MEMBERS_SQL = `
  SELECT TABLE_NAME AS tableName, COLUMN_NAME AS columnName, DATA_TYPE AS dataType, COLUMN_TYPE AS columnType
    FROM information_schema.COLUMNS
   WHERE TABLE_SCHEMA = ? AND DATA_TYPE IN ('enum', 'set') AND INSTR(COLUMN_TYPE, '?') > 0
   ORDER BY TABLE_NAME, ORDINAL_POSITION`;

const MEMBERS_TABLE = 'snapex_member_names';

/** How many members `enum('a','b''c')` lists: quoted strings, a quote inside doubled. */
export function memberCount(columnType: string): number {
  return columnType.match(/'(?:[^'\\]|''|\\.)*'/g)?.length ?? 0;
}

/** A member as a definition quotes it. */
function quoteMember(member: string): string {
  return `'${member.replace(/\\/g, '\\\\').replace(/'/g, "''")}'`;
}

/** The value that selects member `index` (from 0): its position for an ENUM, its bit for a SET. */
function memberValue(dataType: DefinedColumn['dataType'], index: number): string {
  return dataType === 'enum' ? String(index + 1) : (1n << BigInt(index)).toString();
}

/**
 * The members as the table holds them, read from a temporary copy of the column's definition: a
 * table made from the column (CREATE ... SELECT copies its type whole, not through its printed
 * form) is given each member by number and read back as text.
 */
async function membersOf(
  connection: Awaited<ReturnType<typeof createConnection>>,
  column: DefinedColumn,
): Promise<string[]> {
  const name = quoteIdentifier(column.columnName);
  await connection.query(`DROP TEMPORARY TABLE IF EXISTS ${MEMBERS_TABLE}`);
  await connection.query(
    `CREATE TEMPORARY TABLE ${MEMBERS_TABLE} AS SELECT ${name} AS member FROM ${quoteIdentifier(column.tableName)} LIMIT 0`,
  );
  const count = memberCount(column.columnType);
  const values = Array.from({ length: count }, (_, index) => `(${memberValue(column.dataType, index)})`);
  if (values.length > 0) await connection.query(`INSERT INTO ${MEMBERS_TABLE} VALUES ${values.join(', ')}`);
  const [rows] = await connection.query(
    `SELECT CAST(member AS CHAR) AS text FROM ${MEMBERS_TABLE} ORDER BY member + 0`,
  );
  await connection.query(`DROP TEMPORARY TABLE ${MEMBERS_TABLE}`);
  return (rows as { text: string }[]).map((row) => row.text);
}

/**
 * The ENUM and SET columns of `database` whose printed definition lost characters, with the
 * definition that keeps them. Needs CREATE TEMPORARY TABLES on the database.
 */
export async function memberRepairs(sourceUrl: string, database: string): Promise<MemberRepair[]> {
  return withConnection(
    () => createConnection({ uri: sourceUrl, database, charset: 'utf8mb4' }),
    async (connection) => {
      const [columns] = await connection.query(UNPRINTABLE_MEMBERS_SQL, [database]);
      const repairs: MemberRepair[] = [];
      for (const column of columns as DefinedColumn[]) {
        const members = await membersOf(connection, column).catch((error: unknown) => {
          throw engineFor('mysql').refusalOf(error) === 'access-denied'
            ? new MembersUnreadableError(database, column, error)
            : error;
        });
        const repaired = `${column.dataType}(${members.map(quoteMember).join(',')})`;
        if (repaired !== column.columnType)
          repairs.push({
            table: column.tableName,
            column: column.columnName,
            broken: column.columnType,
            repaired,
          });
      }
      return repairs;
    },
  );
}

/**
 * One line of a mariadb-dump script, repaired: inside `CREATE TABLE <table> (` the line of a
 * repaired column gets its full definition. `table` is the table whose CREATE TABLE the line is in.
 */
function repairLine(
  line: string,
  table: string | null,
  repairs: readonly MemberRepair[],
): { line: string; table: string | null } {
  const created = /^CREATE TABLE (`(?:[^`]|``)*`) \($/.exec(line);
  if (created) return { line, table: created[1] };
  if (table === null) return { line, table };
  if (line.startsWith(')')) return { line, table: null };
  for (const repair of repairs) {
    const start = `  ${quoteIdentifier(repair.column)} ${repair.broken}`;
    if (quoteIdentifier(repair.table) === table && line.startsWith(start))
      return {
        line: `  ${quoteIdentifier(repair.column)} ${repair.repaired}${line.slice(start.length)}`,
        table,
      };
  }
  return { line, table };
}

const NEWLINE = 0x0a;
const CREATE_TABLE = Buffer.from('CREATE TABLE ');

/**
 * A mariadb-dump script with the ENUM and SET definitions `repairs` names put right, so the rows
 * after them load with every member. Only the lines of CREATE TABLE statements are read as text;
 * the rest passes as the bytes it is, and everything does when there is nothing to repair.
 */
export function repairingMembers(repairs: readonly MemberRepair[]): Transform {
  if (repairs.length === 0)
    return new Transform({ transform: (chunk, _encoding, done) => done(null, chunk) });
  let partial: Buffer = Buffer.alloc(0);
  let table: string | null = null;
  const repairOne = (line: Buffer): Buffer => {
    if (table === null && !line.subarray(0, CREATE_TABLE.length).equals(CREATE_TABLE)) return line;
    const repaired = repairLine(line.toString('utf8'), table, repairs);
    table = repaired.table;
    return Buffer.from(repaired.line, 'utf8');
  };
  const repairLines = (bytes: Buffer): Buffer[] => {
    const out: Buffer[] = [];
    let from = 0;
    for (let end = bytes.indexOf(NEWLINE); end >= 0; end = bytes.indexOf(NEWLINE, from)) {
      out.push(repairOne(bytes.subarray(from, end)), bytes.subarray(end, end + 1));
      from = end + 1;
    }
    partial = bytes.subarray(from);
    return out;
  };
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      done(null, Buffer.concat(repairLines(Buffer.concat([partial, chunk]))));
    },
    flush(done) {
      done(null, partial.length === 0 ? undefined : repairOne(partial));
    },
  });
}
