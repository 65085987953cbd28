import { z } from 'zod';

/** One column of `schemaMetadata.originalTypeMappings` in export_tables_info. */
export const OriginalTypeMappingSchema = z.object({
  columnName: z.string(),
  originalType: z.string(),
  expectedExportedType: z.string(),
  originalCharMaxLength: z.number().int(),
  originalNumPrecision: z.number().int(),
  originalDateTimePrecision: z.number().int(),
});
export type OriginalTypeMapping = z.infer<typeof OriginalTypeMappingSchema>;

/** The part of a `perTableStatus` entry that reading an export back needs; other keys pass through. */
export const PerTableStatusSchema = z
  .object({
    target: z.string(),
    status: z.string(),
    tableStatistics: z.object({ rowCount: z.number().int() }).passthrough(),
    schemaMetadata: z.object({ originalTypeMappings: z.array(OriginalTypeMappingSchema) }),
    exportedFilesPath: z.string().optional(),
  })
  .passthrough();
export type PerTableStatus = z.infer<typeof PerTableStatusSchema>;

export const ExportTablesInfoSchema = z.object({ perTableStatus: z.array(PerTableStatusSchema) });

/** What a Parquet column holds, read off its `expectedExportedType`. */
export type ExportedKind =
  | { kind: 'boolean' | 'int32' | 'int64' | 'float' | 'double' | 'string' | 'binary' | 'timestamp' }
  | { kind: 'decimal'; precision: number; scale: number };

const PLAIN_KINDS: Record<string, ExportedKind> = {
  boolean: { kind: 'boolean' },
  int32: { kind: 'int32' },
  'int32 (INT_16)': { kind: 'int32' },
  int64: { kind: 'int64' },
  float: { kind: 'float' },
  double: { kind: 'double' },
  'binary (UTF8)': { kind: 'string' },
  binary: { kind: 'binary' },
  'int64 (TIMESTAMP_MICROS)': { kind: 'timestamp' },
};

/** The kind of an `expectedExportedType`; a name this version does not know reads as text. */
export function exportedKindOf(expectedExportedType: string): ExportedKind {
  const decimal = /\(DECIMAL\((\d+),(\d+)\)\)$/.exec(expectedExportedType);
  if (decimal) return { kind: 'decimal', precision: Number(decimal[1]), scale: Number(decimal[2]) };
  return PLAIN_KINDS[expectedExportedType] ?? { kind: 'string' };
}

/**
 * Database, schema and table of a `target` (`<database>.<schema>.<table>`). A dot inside a name
 * cannot be told from the separators: the database ends at the first dot and the schema at the next.
 */
export function splitTarget(target: string): { database: string; schema: string; table: string } {
  const [database, schema, ...table] = target.split('.');
  return { database, schema: schema ?? '', table: table.join('.') };
}
