import { ColumnPlan } from '@snapex/contracts';
import { ExportRow } from '@snapex/engines';

type ExportValue = ExportRow[number];

/**
 * Every cell that differs between exported rows and what the database itself holds, as
 * `row.column: exported != expected`; empty when all match.
 */
export function cellDifferences<T>(
  columns: readonly ColumnPlan[],
  exported: readonly ExportRow[],
  own: readonly T[][],
  expectedValue: (column: ColumnPlan, own: T) => ExportValue,
  comparable: (column: ColumnPlan, value: ExportValue) => ExportValue = (_column, value) => value,
): string[] {
  const found: string[] = [];
  own.forEach((row, rowIndex) =>
    columns.forEach((column, columnIndex) => {
      const actual = comparable(column, exported[rowIndex]?.[columnIndex] ?? null);
      const expected = expectedValue(column, row[columnIndex]);
      const same = Buffer.isBuffer(expected)
        ? Buffer.isBuffer(actual) && expected.equals(actual)
        : Object.is(actual, expected);
      if (!same) found.push(`${rowIndex}.${column.name}: ${String(actual)} != ${String(expected)}`);
    }),
  );
  return found;
}

/** Rows ordered by their integer first column. */
export function byFirstColumn(rows: ExportRow[]): ExportRow[] {
  return [...rows].sort((a, b) =>
    BigInt(a[0] as bigint | number) < BigInt(b[0] as bigint | number) ? -1 : 1,
  );
}
