import { ExportRow } from './engine';

export type ExportValue = ExportRow[number];

/** Turns one row of driver values into an ExportRow, column by column; NULL stays null. */
export function rowDecoderOf<V>(
  columnDecoders: readonly ((value: V) => ExportValue)[],
): (row: readonly (V | null)[]) => ExportRow {
  return (row) => {
    const decoded: ExportRow = new Array(columnDecoders.length);
    for (let index = 0; index < columnDecoders.length; index++) {
      const value = row[index];
      decoded[index] = value === null ? null : columnDecoders[index](value);
    }
    return decoded;
  };
}
