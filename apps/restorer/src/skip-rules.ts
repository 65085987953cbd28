import { DiscoveredTable } from '@snapex/engines';

export interface SkipVerdict {
  reason: string;
  detail: string;
}

/** The seed: column names with any of `, ; { } ( ) \n \t =` or a space are not supported. */
const UNSUPPORTED_COLUMN_CHARACTERS = /[,;{}()\n\t= ]/;

/** Tables the seed says an export leaves out, each with the reason reported in WarningMessage. */
export function skipVerdict(table: DiscoveredTable): SkipVerdict | null {
  if (table.table.includes('/')) {
    return {
      reason: 'UNSUPPORTED_TABLE_NAME',
      detail: 'Tables with slashes (/) in their names are skipped.',
    };
  }
  if (table.columns.length === 0) {
    return {
      reason: 'UNSUPPORTED_TABLE_TYPE',
      detail: 'Tables without columns cannot be written as Parquet.',
    };
  }
  const badColumn = table.columns.find((column) => UNSUPPORTED_COLUMN_CHARACTERS.test(column.name));
  if (badColumn) {
    return {
      reason: 'UNSUPPORTED_COLUMN_NAME',
      detail: `Column ${JSON.stringify(badColumn.name)} contains a character that is not supported in column names.`,
    };
  }
  if (table.persistence !== 'permanent') {
    return { reason: 'UNSUPPORTED_TABLE_TYPE', detail: `${table.persistence} tables are skipped.` };
  }
  if (!table.readable) {
    return { reason: 'PERMISSIONS_DO_NOT_EXIST', detail: 'The export user may not read this table.' };
  }
  return null;
}
