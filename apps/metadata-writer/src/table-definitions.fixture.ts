import { OriginalTypeMapping } from '@snapex/contracts';
import { DefinedTable } from './table-definitions';

/** A column of export_tables_info's originalTypeMappings, without lengths or precisions. */
export const column = (
  columnName: string,
  originalType: string,
  expectedExportedType: string,
): OriginalTypeMapping => ({
  columnName,
  originalType,
  expectedExportedType,
  originalCharMaxLength: 0,
  originalNumPrecision: 0,
  originalDateTimePrecision: 0,
});

/** A PostgreSQL table with text-typed numbers and dates, quotes in names and an unsigned MySQL-style column. */
export const ORDERS: DefinedTable = {
  database: 'shop',
  schema: 'sales',
  table: 'Order "Lines"',
  folder: 'p/x/shop/sales.Order__Lines_',
  columns: [
    column('id', 'bigint', 'int64'),
    column('amount', 'numeric(12,2)', 'binary (UTF8)'),
    column('huge', 'numeric(50,2)', 'binary (UTF8)'),
    column('on', 'date', 'binary (UTF8)'),
    column('at', 'timestamp(3) with time zone', 'binary (UTF8)'),
    column("it's", 'text', 'binary (UTF8)'),
    column('u', 'bigint(20) unsigned', 'fixed_len_byte_array(9) (DECIMAL(20,0))'),
  ],
};
