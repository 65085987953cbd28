import { InvalidSnapshotIdError, partitionSelect, rangeConditions, setSnapshotStatement } from './sql';

describe('partitionSelect', () => {
  it('quotes every identifier, whatever it contains', () => {
    const select = partitionSelect('My Schema', 'tab"le ü', ['Id', 'a"b', 'naïve name'], null);
    expect(select).toEqual({
      text: 'SELECT "Id", "a""b", "naïve name" FROM "My Schema"."tab""le ü"',
      values: [],
    });
  });

  it('reads a primary-key range with bound values, lower bound inclusive and upper exclusive', () => {
    const range = { column: 'order id', constraintType: 'PRIMARY_KEY' as const, lower: '100', upper: '200' };
    expect(partitionSelect('public', 't', ['x'], range)).toEqual({
      text: 'SELECT "x" FROM "public"."t" WHERE "order id" >= $1 AND "order id" < $2',
      values: ['100', '200'],
    });
  });

  it('reads an open-ended range', () => {
    expect(rangeConditions({ column: 'id', constraintType: 'PRIMARY_KEY', lower: null, upper: '5' })).toEqual(
      {
        text: '"id" < $1',
        values: ['5'],
      },
    );
    expect(rangeConditions({ column: 'id', constraintType: 'NONE', lower: null, upper: null }).text).toBe('');
  });

  it('reads CTID page ranges as tid bounds', () => {
    expect(rangeConditions({ column: 'ctid', constraintType: 'CTID', lower: '0', upper: '128' })).toEqual({
      text: 'ctid >= $1::tid AND ctid < $2::tid',
      values: ['(0,0)', '(128,0)'],
    });
    expect(() =>
      rangeConditions({ column: 'ctid', constraintType: 'CTID', lower: '1); --', upper: null }),
    ).toThrow();
  });
});

describe('setSnapshotStatement', () => {
  it('splices an exported snapshot id', () => {
    expect(setSnapshotStatement('00000003-0000001B-1')).toBe(
      "SET TRANSACTION SNAPSHOT '00000003-0000001B-1'",
    );
  });

  it.each(["1'; DROP TABLE t; --", '', 'abc xyz'])('refuses %j', (id) => {
    expect(() => setSnapshotStatement(id)).toThrow(InvalidSnapshotIdError);
  });
});
