import { Codec } from './model/output-format';
/** The seed: these characters in an S3 file path become underscores. */
export function sanitizePathSegment(segment: string): string {
  return segment.replace(/[\\`" ]/g, '_');
}

function join(...parts: string[]): string {
  return parts
    .map((part) => part.replace(/^\/+|\/+$/g, ''))
    .filter((part) => part.length > 0)
    .join('/');
}

/** `<prefix>/<id>`: the folder every file of one export lives under. */
export function exportRootKey(s3Prefix: string, exportTaskIdentifier: string): string {
  return join(sanitizePathSegment(s3Prefix), sanitizePathSegment(exportTaskIdentifier));
}

/** `<prefix>/<id>/<database>/<schema>.<table>` */
export function tableKeyPrefix(
  s3Prefix: string,
  exportTaskIdentifier: string,
  database: string,
  schema: string,
  table: string,
): string {
  return join(
    exportRootKey(s3Prefix, exportTaskIdentifier),
    sanitizePathSegment(database),
    sanitizePathSegment(`${schema}.${table}`),
  );
}

export function partitionKeyPrefix(tablePrefix: string, partitionIndex: number): string {
  return `${tablePrefix}/${partitionIndex}`;
}

/** The extension Spark gives a part file compressed with each codec; RDS's is gzip's. */
const CODEC_EXTENSIONS: Record<Codec, string> = { gzip: 'gz', zstd: 'zstd', snappy: 'snappy' };

export function partFileName(fileIndex: number, uuid: string, codec: Codec = 'gzip'): string {
  return `part-${String(fileIndex).padStart(5, '0')}-${uuid}-c000.${CODEC_EXTENSIONS[codec]}.parquet`;
}

export function exportInfoKey(s3Prefix: string, exportTaskIdentifier: string): string {
  return `${exportRootKey(s3Prefix, exportTaskIdentifier)}/export_info_${sanitizePathSegment(exportTaskIdentifier)}.json`;
}

export function exportTablesInfoKey(
  s3Prefix: string,
  exportTaskIdentifier: string,
  from: number,
  to: number,
): string {
  const id = sanitizePathSegment(exportTaskIdentifier);
  return `${exportRootKey(s3Prefix, exportTaskIdentifier)}/export_tables_info_${id}_from_${from}_to_${to}.json`;
}

export function successMarkerKey(tablePrefix: string): string {
  return `${tablePrefix}/_SUCCESS`;
}

/** The export_tables_info files of an export, among the keys under its folder. */
export function isExportTablesInfoKey(s3Prefix: string, exportTaskIdentifier: string, key: string): boolean {
  const head = exportTablesInfoKey(s3Prefix, exportTaskIdentifier, 0, 0).replace(/0_to_0\.json$/, '');
  return key.startsWith(head) && /^\d+_to_\d+\.json$/.test(key.slice(head.length));
}

export type TableDefinitionDialect = 'athena' | 'duckdb';

/** `<prefix>/<id>/export_table_definitions_<id>_<dialect>.sql`: SQL that makes the export's tables queryable. */
export function tableDefinitionsKey(
  s3Prefix: string,
  exportTaskIdentifier: string,
  dialect: TableDefinitionDialect,
): string {
  const id = sanitizePathSegment(exportTaskIdentifier);
  return `${exportRootKey(s3Prefix, exportTaskIdentifier)}/export_table_definitions_${id}_${dialect}.sql`;
}
