import { athenaDefinitions, athenaNames, duckdbDefinitions, textCastOf } from './table-definitions';
import { ORDERS } from './table-definitions.fixture';

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
