import { PlannedTable, SkippedTable, tableKeyPrefix, TablePlanEntry, tableTarget } from '@snapex/contracts';
import { FOLDER_NAME_COLLISION, uniqueFolders, withUniqueFolders } from './table-folders';

function planned(database: string, schema: string, table: string, tableIndex: number): PlannedTable {
  const ref = { tableIndex, database, schema, table };
  return {
    kind: 'planned',
    table: ref,
    target: tableTarget(ref),
    tableKeyPrefix: tableKeyPrefix('exports', 'x', database, schema, table),
    columns: [],
    partitioning: { numberOfPartitions: 1, constraintType: 'NONE', partitionColumns: [] },
    estimatedBytes: 0,
    ranges: [null],
    readPoint: {
      engine: 'postgres',
      sourceName: 'src',
      database,
      snapshotId: null,
      scratchServer: null,
    },
  };
}

function skipped(database: string, schema: string, table: string, tableIndex: number): SkippedTable {
  const ref = { tableIndex, database, schema, table };
  return { kind: 'skipped', table: ref, target: tableTarget(ref), reason: 'UNSUPPORTED_TABLE_NAME' };
}

function folders(entries: TablePlanEntry[]): (string | null)[] {
  return entries.map((entry) => (entry.kind === 'planned' ? entry.tableKeyPrefix : null));
}

describe('unique table folders', () => {
  it('leaves folders that differ as the seed makes them', () => {
    expect(
      uniqueFolders([
        { folder: 'db/public.a', replaced: 0 },
        { folder: 'db/public.A', replaced: 0 },
        { folder: 'db/public.with_space', replaced: 1 },
      ]),
    ).toEqual(['db/public.a', 'db/public.A', 'db/public.with_space']);
  });

  it('keeps the seed folder for the table with the fewest characters replaced, whatever its position', () => {
    expect(
      uniqueFolders([
        { folder: 'db/public.with_space', replaced: 1 },
        { folder: 'db/public.with_space', replaced: 0 },
      ]),
    ).toEqual(['db/public.with_space__2', 'db/public.with_space']);
  });

  it('numbers further tables of one folder in table order', () => {
    expect(
      uniqueFolders([
        { folder: 'db/s.a_b', replaced: 1 },
        { folder: 'db/s.a_b', replaced: 1 },
        { folder: 'db/s.a_b', replaced: 1 },
      ]),
    ).toEqual(['db/s.a_b', 'db/s.a_b__2', 'db/s.a_b__3']);
  });

  it('never gives a suffixed folder that is another table’s own', () => {
    expect(
      uniqueFolders([
        { folder: 'db/s.a_b', replaced: 0 },
        { folder: 'db/s.a_b', replaced: 1 },
        { folder: 'db/s.a_b__2', replaced: 0 },
      ]),
    ).toEqual(['db/s.a_b', 'db/s.a_b__3', 'db/s.a_b__2']);
  });

  it('orders the claims by characters replaced, then by table order', () => {
    const tables = [
      { folder: 'f', replaced: 3 },
      { folder: 'f', replaced: 2 },
      { folder: 'f', replaced: 2 },
      { folder: 'f', replaced: 1 },
    ];
    expect(uniqueFolders(tables)).toEqual(['f__4', 'f__2', 'f__3', 'f']);
  });

  it('moves tables of a plan out of a shared folder and warns for each, naming the table kept', () => {
    const entries = [
      planned('db', 'public', 'with space', 0),
      planned('db', 'public', 'with_space', 1),
      skipped('db', 'public', 'with/space', 2),
      planned('db', 'public', 'with"space', 3),
      planned('db', 'public', 'other', 4),
    ];
    const { entries: unique, warnings } = withUniqueFolders(entries);
    expect(folders(unique)).toEqual([
      'exports/x/db/public.with_space__2',
      'exports/x/db/public.with_space',
      null,
      'exports/x/db/public.with_space__3',
      'exports/x/db/public.other',
    ]);
    expect(warnings).toEqual([
      {
        reason: FOLDER_NAME_COLLISION,
        detail:
          'db.public.with space has the same S3 folder as db.public.with_space (exports/x/db/public.with_space); ' +
          'its files are written to exports/x/db/public.with_space__2 instead.',
      },
      {
        reason: FOLDER_NAME_COLLISION,
        detail:
          'db.public.with"space has the same S3 folder as db.public.with_space (exports/x/db/public.with_space); ' +
          'its files are written to exports/x/db/public.with_space__3 instead.',
      },
    ]);
    expect(unique[2]).toBe(entries[2]);
  });

  it('separates tables whose database folders or schema-and-table names meet', () => {
    const { entries: unique, warnings } = withUniqueFolders([
      planned('shop db', 'public', 't', 0),
      planned('shop_db', 'public', 't', 1),
      planned('db', 'a.b', 'c', 2),
      planned('db', 'a', 'b.c', 3),
    ]);
    expect(folders(unique)).toEqual([
      'exports/x/shop_db/public.t__2',
      'exports/x/shop_db/public.t',
      'exports/x/db/a.b.c',
      'exports/x/db/a.b.c__2',
    ]);
    expect(warnings.map((warning) => warning.detail.split(' ')[0])).toEqual(['shop', 'db.a.b.c']);
  });

  it('keeps the plainer name in its folder when the database name had characters replaced too', () => {
    const { entries: unique } = withUniqueFolders([
      planned('my db', 'my db', 'with space', 0),
      planned('my db', 'my db', 'with_space', 1),
    ]);
    expect(folders(unique)).toEqual([
      'exports/x/my_db/my_db.with_space__2',
      'exports/x/my_db/my_db.with_space',
    ]);
  });

  it('changes nothing and warns of nothing without a collision', () => {
    const entries = [planned('db', 'public', 'a', 0), planned('db', 'public', 'b', 1)];
    expect(withUniqueFolders(entries)).toEqual({ entries, warnings: [] });
  });
});
