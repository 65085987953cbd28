import { ExportRow, ReadLimits, RowTooLargeError, ValueTooLargeError } from './engine';

/** Bytes a value takes as read: its UTF-8 or binary length, 8 for numbers, 1 for booleans. */
function valueBytes(value: ExportRow[number]): number {
  if (value === null) return 0;
  if (typeof value === 'string') return Buffer.byteLength(value, 'utf8');
  if (value instanceof Uint8Array) return value.length;
  return typeof value === 'boolean' ? 1 : 8;
}

/**
 * The seed's size rules for one row: a value at or over maxValueBytes fails the export, a row at or
 * over maxRowBytes skips its table. No work at all when neither limit is set.
 */
export function rowSizeCheck(limits: ReadLimits, columnNames: readonly string[]): (row: ExportRow) => void {
  if (!Number.isFinite(limits.maxRowBytes) && !Number.isFinite(limits.maxValueBytes)) return () => undefined;
  return (row) => {
    let rowBytes = 0;
    for (let index = 0; index < row.length; index++) {
      const bytes = valueBytes(row[index]);
      if (bytes >= limits.maxValueBytes)
        throw new ValueTooLargeError(columnNames[index], bytes, limits.maxValueBytes);
      rowBytes += bytes;
    }
    if (rowBytes >= limits.maxRowBytes) throw new RowTooLargeError(rowBytes, limits.maxRowBytes);
  };
}
