import { SkippedObjective, tableTarget } from '@snapex/contracts';
import { DiscoveredTable, UnexportedObject, UnexportedObjectKind } from '@snapex/engines';

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

/** Why each kind of object an export lists but never reads is left out. */
const UNEXPORTED_DETAILS: Record<Exclude<UnexportedObjectKind, 'PARTITIONED_TABLE'>, string> = {
  VIEW: 'Views are not exported: they hold no rows of their own; the tables they read are exported.',
  MATERIALIZED_VIEW: 'Materialized views are not exported: their rows are derived from other tables.',
  SEQUENCE: 'Sequences are not exported.',
  FOREIGN_TABLE: 'Foreign tables are not exported: their rows live on another server.',
};

/**
 * An object that is not a table is reported, never left out silently. A partitioned table's rows are
 * its partitions', which are exported as tables of their own, so it is reported as represented by them.
 */
export function unexportedVerdict(object: UnexportedObject, database: string): SkipVerdict {
  if (object.kind !== 'PARTITIONED_TABLE') {
    return { reason: 'UNSUPPORTED_TABLE_TYPE', detail: UNEXPORTED_DETAILS[object.kind] };
  }
  const partitions = object.partitions.map((partition) => tableTarget({ database, ...partition }));
  return {
    reason: 'EXPORTED_AS_PARTITIONS',
    detail:
      partitions.length === 0
        ? 'A partitioned table has no rows of its own, and this one has no partitions.'
        : `A partitioned table has no rows of its own; its rows are exported in its partitions: ${partitions.join(', ')}.`,
  };
}

/** An ExportOnly entry that names nothing the source holds: the export goes on, and says so. */
export function unmatchedObjective(objective: string): SkippedObjective {
  return {
    objective,
    reason: 'OBJECT_NOT_FOUND',
    detail:
      'No database, schema or table of the source matches this ExportOnly entry; names are case-sensitive.',
  };
}
