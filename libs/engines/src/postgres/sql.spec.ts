import { escapeIdentifier } from 'pg';
import {
  InvalidSnapshotIdError,
  partitionCopyStatement,
  rangeConditions,
  setSnapshotStatement,
  textOutputExpression,
} from './sql';

describe('partitionCopyStatement', () => {
  it('quotes every identifier, whatever it contains', () => {
    const select = ['Id', 'a"b', 'naïve name'].map((name) => escapeIdentifier(name));
    expect(partitionCopyStatement('My Schema', 'tab"le ü', select, null)).toBe(
      'COPY (SELECT "Id", "a""b", "naïve name" FROM ONLY "My Schema"."tab""le ü") TO STDOUT (FORMAT binary)',
    );
  });

  it('reads a primary-key range, lower bound inclusive and upper exclusive', () => {
    const range = { column: 'order id', constraintType: 'PRIMARY_KEY' as const, lower: '100', upper: '200' };
    expect(partitionCopyStatement('public', 't', ['"x"'], range)).toBe(
      `COPY (SELECT "x" FROM ONLY "public"."t" WHERE "order id" >= '100' AND "order id" < '200') TO STDOUT (FORMAT binary)`,
    );
  });
});

describe('rangeConditions', () => {
  it('reads an open-ended range', () => {
    expect(rangeConditions({ column: 'id', constraintType: 'PRIMARY_KEY', lower: null, upper: '5' })).toBe(
      `"id" < '5'`,
    );
    expect(rangeConditions({ column: 'id', constraintType: 'NONE', lower: null, upper: null })).toBe('');
  });

  it('quotes bounds as literals, whatever they contain', () => {
    const range = { column: 'code', constraintType: 'PRIMARY_KEY' as const, lower: "it's \\ ü", upper: null };
    expect(rangeConditions(range)).toBe(`"code" >= E'it''s \\\\ ü'`);
  });

  it('reads CTID page ranges as tid bounds', () => {
    expect(rangeConditions({ column: 'ctid', constraintType: 'CTID', lower: '0', upper: '128' })).toBe(
      `ctid >= '(0,0)'::tid AND ctid < '(128,0)'::tid`,
    );
    expect(() =>
      rangeConditions({ column: 'ctid', constraintType: 'CTID', lower: '1); --', upper: null }),
    ).toThrow();
  });
});

describe('textOutputExpression', () => {
  it("calls the type's output function and keeps NULL apart from composites of NULLs", () => {
    expect(textOutputExpression('"c"')).toBe(
      `CASE WHEN pg_catalog.num_nulls("c") = 1 THEN NULL ELSE pg_catalog.format('%s', "c") END`,
    );
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
