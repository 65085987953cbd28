import {
  athenaDefinitions,
  athenaNames,
  duckdbDefinitions,
  hiveColumnsOf,
  textCastOf,
} from './table-definitions';
import { column, ORDERS } from './table-definitions.fixture';

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

  it('declares native-type columns with the Hive type of their Parquet logical type, not as text', () => {
    const native = [
      ['d', 'date', 'int32 (DATE)'],
      ['t', 'time without time zone', 'int64 (TIME(MICROS,false))'],
      ['wall', 'timestamp without time zone', 'int64 (TIMESTAMP(MICROS,false))'],
      ['u', 'uuid', 'fixed_len_byte_array(16) (UUID)'],
      ['j', 'jsonb', 'binary (JSON)'],
      ['ids', 'bigint[]', 'list<int64>'],
      ['days', 'date[]', 'list<int32 (DATE)>'],
    ].map(([name, originalType, expectedExportedType]) => column(name, originalType, expectedExportedType));
    const table = { ...ORDERS, columns: native };
    expect(hiveColumnsOf(table).map(({ name, type }) => `${name} ${type}`)).toEqual([
      'd date',
      't bigint',
      'wall timestamp',
      'u binary',
      'j string',
      'ids array<bigint>',
      'days array<date>',
    ]);
    expect(native.map(textCastOf)).toEqual(native.map(() => null));
  });

  it('numbers Athena names two tables would share', () => {
    const table = (name: string) => ({ ...ORDERS, schema: 'shop', table: name });
    expect(athenaNames([table('A-b'), table('a_B')])).toEqual([
      { database: 'shop', table: 'a_b' },
      { database: 'shop', table: 'a_b_2' },
    ]);
  });
});
