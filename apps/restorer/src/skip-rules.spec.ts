import { ColumnPlan } from '@snapex/contracts';
import { DiscoveredTable, UnexportedObject } from '@snapex/engines';
import { skipVerdict, unexportedVerdict, unmatchedObjective } from './skip-rules';

function column(name: string): ColumnPlan {
  return {
    name,
    originalType: 'text',
    decoder: 'text',
    parquetType: 'STRING',
    expectedExportedType: 'binary (UTF8)',
    originalCharMaxLength: 0,
    originalNumPrecision: 0,
    originalDateTimePrecision: 0,
  };
}

function table(overrides: Partial<DiscoveredTable>): DiscoveredTable {
  return {
    schema: 'public',
    table: 't',
    columns: [column('id')],
    estimatedBytes: 0,
    persistence: 'permanent',
    readable: true,
    ...overrides,
  };
}

describe('skip rules of the seed', () => {
  it('keeps an ordinary readable table', () => {
    expect(skipVerdict(table({}))).toBeNull();
  });

  it.each([',', ';', '{', '}', '(', ')', '\n', '\t', '=', ' '])(
    'skips a table with %j in a column name',
    (character) => {
      expect(skipVerdict(table({ columns: [column('id'), column(`bad${character}name`)] }))?.reason).toBe(
        'UNSUPPORTED_COLUMN_NAME',
      );
    },
  );

  it('skips tables with a slash in the name, temporary and unlogged tables, and unreadable tables', () => {
    expect(skipVerdict(table({ table: 'a/b' }))?.reason).toBe('UNSUPPORTED_TABLE_NAME');
    expect(skipVerdict(table({ persistence: 'unlogged' }))?.reason).toBe('UNSUPPORTED_TABLE_TYPE');
    expect(skipVerdict(table({ persistence: 'temporary' }))?.reason).toBe('UNSUPPORTED_TABLE_TYPE');
    expect(skipVerdict(table({ readable: false }))?.reason).toBe('PERMISSIONS_DO_NOT_EXIST');
    expect(skipVerdict(table({ columns: [] }))?.reason).toBe('UNSUPPORTED_TABLE_TYPE');
  });
});

describe('objects that are not exported', () => {
  const object = (overrides: Partial<UnexportedObject>): UnexportedObject => ({
    schema: 'public',
    name: 'o',
    kind: 'VIEW',
    partitions: [],
    ...overrides,
  });

  it.each(['VIEW', 'MATERIALIZED_VIEW', 'SEQUENCE', 'FOREIGN_TABLE'] as const)(
    'reports a %s as a table type the export does not read, saying what it is',
    (kind) => {
      const verdict = unexportedVerdict(object({ kind }), 'shop');
      expect(verdict.reason).toBe('UNSUPPORTED_TABLE_TYPE');
      expect(verdict.detail).toMatch(kind === 'MATERIALIZED_VIEW' ? /^Materialized views/ : /not exported/);
    },
  );

  it('reports a partitioned table as exported in its partitions, naming each as export_tables_info does', () => {
    const partitions = [
      { schema: 'public', table: 'events_2024' },
      { schema: 'archive', table: 'events 2023' },
    ];
    expect(unexportedVerdict(object({ kind: 'PARTITIONED_TABLE', partitions }), 'shop')).toEqual({
      reason: 'EXPORTED_AS_PARTITIONS',
      detail:
        'A partitioned table has no rows of its own; its rows are exported in its partitions: ' +
        'shop.public.events_2024, shop.archive.events 2023.',
    });
    expect(unexportedVerdict(object({ kind: 'PARTITIONED_TABLE' }), 'shop').detail).toMatch(/no partitions/);
  });

  it('reports an ExportOnly entry that matched nothing as a skipped objective', () => {
    expect(unmatchedObjective('shop.public.Orders')).toMatchObject({
      objective: 'shop.public.Orders',
      reason: 'OBJECT_NOT_FOUND',
    });
  });
});
