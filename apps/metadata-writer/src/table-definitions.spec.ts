import { OriginalTypeMapping } from '@snapex/contracts';
import {
  athenaDefinitions,
  athenaNames,
  DefinedTable,
  duckdbDefinitions,
  textCastOf,
} from './table-definitions';

const column = (
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

const ORDERS: DefinedTable = {
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

describe('table definitions', () => {
  it('reads text as the type its original type names, and leaves what no DECIMAL holds as text', () => {
    const casts = ORDERS.columns.map(textCastOf);
    expect(casts).toEqual([
      null,
      { type: 'decimal', precision: 12, scale: 2 },
      null,
      { type: 'date' },
      { type: 'timestamptz' },
      null,
      null,
    ]);
  });

  it('writes an Athena external table over the folder with the Parquet types, and a typed view', () => {
    const sql = athenaDefinitions('bucket', [ORDERS]);
    expect(sql).toContain('CREATE DATABASE IF NOT EXISTS `shop`;');
    expect(sql).toContain('CREATE EXTERNAL TABLE IF NOT EXISTS `shop`.`sales_order__lines_` (');
    expect(sql).toContain("`amount` string COMMENT 'numeric(12,2)'");
    expect(sql).toContain("`u` decimal(20,0) COMMENT 'bigint(20) unsigned'");
    expect(sql).toContain("LOCATION 's3://bucket/p/x/shop/sales.Order__Lines_/'");
    expect(sql).toContain('try_cast("amount" AS decimal(12,2)) AS "amount"');
    expect(sql).toContain('"at",');
  });

  it('writes a DuckDB view over the parts that casts text and keeps every name as the source has it', () => {
    const sql = duckdbDefinitions('bucket', [ORDERS]);
    expect(sql).toContain('CREATE OR REPLACE VIEW "shop"."sales.Order ""Lines""" AS');
    expect(sql).toContain('TRY_CAST("at" AS TIMESTAMPTZ) AS "at"');
    expect(sql).toContain('"it\'s"');
    expect(sql).toContain("read_parquet('s3://bucket/p/x/shop/sales.Order__Lines_/*/*.parquet')");
  });

  it('numbers Athena names two tables would share', () => {
    const table = (name: string) => ({ ...ORDERS, schema: 'shop', table: name });
    expect(athenaNames([table('A-b'), table('a_B')])).toEqual([
      { database: 'shop', table: 'a_b' },
      { database: 'shop', table: 'a_b_2' },
    ]);
  });
});
