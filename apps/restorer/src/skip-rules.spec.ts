import { ColumnPlan } from '@snapex/contracts';
import { DiscoveredTable } from '@snapex/engines';
import { skipVerdict } from './skip-rules';

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
