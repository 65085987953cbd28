import { PlannedTable, sanitizePathSegment, TablePlanEntry } from '@snapex/contracts';

/** The seed's folder of one table, and how many characters of its names the seed's rule replaced. */
export interface SeedFolder {
  folder: string;
  replaced: number;
}

/** The suffix a table's folder takes when another table of the export already has that folder. */
export function suffixedFolder(folder: string, ordinal: number): string {
  return `${folder}__${ordinal}`;
}

/**
 * A folder of its own for every table, in the order given. The seed's character rule (and the dot
 * between schema and table) can give two tables one folder, whose files would then mix. A table
 * whose names need no character replaced keeps the seed's folder; each other table whose folder is
 * already taken gets the first of `__2`, `__3`, … that is no table's seed folder and not yet given.
 * Folders are compared as S3 compares keys: case and every byte count.
 */
export function uniqueFolders(tables: readonly SeedFolder[]): string[] {
  const seedFolders = new Set(tables.map((table) => table.folder));
  const given = new Set<string>();
  const folders = new Array<string>(tables.length);
  const claimOrder = [...tables.keys()].sort((a, b) => tables[a].replaced - tables[b].replaced || a - b);
  for (const index of claimOrder) {
    const { folder } = tables[index];
    let chosen = folder;
    for (let ordinal = 2; given.has(chosen); ordinal++) {
      const candidate = suffixedFolder(folder, ordinal);
      if (!seedFolders.has(candidate)) chosen = candidate;
    }
    given.add(chosen);
    folders[index] = chosen;
  }
  return folders;
}

export interface FolderWarning {
  reason: string;
  detail: string;
}

/** The WarningMessage `general` reason of a table written to a folder other than the seed's. */
export const FOLDER_NAME_COLLISION = 'TABLE_FOLDER_NAME_COLLISION';

function replacedCharacters({ table }: PlannedTable): number {
  const names = `${table.database}${table.schema}.${table.table}`;
  return [...names].filter((character) => sanitizePathSegment(character) !== character).length;
}

/**
 * Gives the planned tables of a whole export folders of their own (see uniqueFolders), and one
 * warning for each table moved out of the seed's folder, naming the table that keeps it.
 */
export function withUniqueFolders(entries: readonly TablePlanEntry[]): {
  entries: TablePlanEntry[];
  warnings: FolderWarning[];
} {
  const planned = entries.filter((entry): entry is PlannedTable => entry.kind === 'planned');
  const folders = uniqueFolders(
    planned.map((entry) => ({ folder: entry.tableKeyPrefix, replaced: replacedCharacters(entry) })),
  );
  const moved = new Map<PlannedTable, string>();
  planned.forEach((entry, index) => {
    if (folders[index] !== entry.tableKeyPrefix) moved.set(entry, folders[index]);
  });
  const keeperOf = (folder: string) => planned.find((entry, index) => folders[index] === folder);
  const warnings = [...moved].map(([entry, folder]) => ({
    reason: FOLDER_NAME_COLLISION,
    detail:
      `${entry.target} has the same S3 folder as ${keeperOf(entry.tableKeyPrefix)?.target} ` +
      `(${entry.tableKeyPrefix}); its files are written to ${folder} instead.`,
  }));
  return {
    entries: entries.map((entry) => {
      const folder = entry.kind === 'planned' ? moved.get(entry) : undefined;
      return folder === undefined ? entry : { ...entry, tableKeyPrefix: folder };
    }),
    warnings,
  };
}
