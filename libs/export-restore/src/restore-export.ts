import { ExportedTable, S3ExportSource } from './export-source';
import { readPart } from './parquet-rows';
import { createRestoredTable, OpenRestoreTarget, RestoredTableName, RestoreTarget } from './restore-target';

export interface RestoreProgress {
  tablesDone: number;
  tablesTotal: number;
  rowsDone: number;
  rowsTotal: number;
  /** The table whose rows or completion this report is about. */
  table: string;
}

export interface RestoredTable {
  target: string;
  name: RestoredTableName;
  rows: number;
  columnTypes: string[];
}

export interface RestoreOptions {
  source: S3ExportSource;
  openTarget: OpenRestoreTarget;
  /** Tables restored at once, each on a connection of its own. */
  concurrency: number;
  /** Keep only these tables (`<database>.<schema>.<table>`, or a prefix of it up to a dot); all when absent. */
  only?: readonly string[];
  onProgress?: (progress: RestoreProgress) => void;
}

export class DuplicateTableError extends Error {
  constructor(name: string, targets: string[]) {
    super(
      `${targets.join(' and ')} would both be restored as ${name}: restore one database at a time with --only`,
    );
    this.name = 'DuplicateTableError';
  }
}

function selected(table: ExportedTable, only: readonly string[] | undefined): boolean {
  return !only || only.some((name) => table.target === name || table.target.startsWith(`${name}.`));
}

/** PostgreSQL keeps the schema; MySQL's schema is its database, and the target database takes its place. */
function nameIn(target: RestoreTarget, table: ExportedTable): RestoredTableName {
  return target.engine === 'postgres'
    ? { schema: table.schema, table: table.table }
    : { schema: null, table: table.table };
}

/**
 * Recreates the export's COMPLETE tables and their rows in the target: each table made with the
 * original column types the target knows (see the targets), then filled part by part; up to
 * `concurrency` tables at once. A table that exists already fails the restore.
 */
export async function restoreExport(options: RestoreOptions): Promise<RestoredTable[]> {
  const tables = (await options.source.tables()).filter((table) => selected(table, options.only));
  const progress = {
    tablesDone: 0,
    tablesTotal: tables.length,
    rowsDone: 0,
    rowsTotal: tables.reduce((sum, table) => sum + table.rowCount, 0),
  };
  const report = (table: ExportedTable) => options.onProgress?.({ ...progress, table: table.target });
  const pending = [...tables];
  const restored: RestoredTable[] = [];
  const seen = new Map<string, string>();

  const worker = async () => {
    const target = await options.openTarget();
    try {
      for (let table = pending.shift(); table; table = pending.shift()) {
        const name = nameIn(target, table);
        const key = JSON.stringify(name);
        if (seen.has(key)) throw new DuplicateTableError(key, [seen.get(key)!, table.target]);
        seen.set(key, table.target);
        const columnTypes = await createRestoredTable(target, name, table.columns);
        let rows = 0;
        for (const partKey of await options.source.parts(table)) {
          const part = readPart(await options.source.read(partKey));
          const byRow = Array.from({ length: part.rows }, (_, row) =>
            part.values.map((column) => column[row]),
          );
          await target.insert(name, part.names, byRow);
          rows += part.rows;
          progress.rowsDone += part.rows;
          report(table);
        }
        progress.tablesDone++;
        report(table);
        restored.push({ target: table.target, name, rows, columnTypes });
      }
    } finally {
      await target.close();
    }
  };
  const first = await options.openTarget();
  try {
    const schemas = tables.map((table) => nameIn(first, table).schema);
    await first.createSchemas([...new Set(schemas.filter((schema) => schema !== null))]);
  } finally {
    await first.close();
  }
  const workers = Math.max(1, Math.min(options.concurrency, tables.length));
  await Promise.all(Array.from({ length: workers }, worker));
  return restored;
}
