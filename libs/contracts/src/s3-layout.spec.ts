import {
  exportInfoKey,
  exportTablesInfoKey,
  isExportTablesInfoKey,
  partFileName,
  sanitizePathSegment,
  tableDefinitionsKey,
  tableKeyPrefix,
} from './s3-layout';

describe('bucket layout', () => {
  it('turns backslash, backtick, double quote and space into underscores, as the seed says', () => {
    expect(sanitizePathSegment('a\\b`c"d e')).toBe('a_b_c_d_e');
    expect(sanitizePathSegment('keep/slashes:and$dollars')).toBe('keep/slashes:and$dollars');
  });

  it('places a table under <prefix>/<id>/<database>/<schema>.<table>', () => {
    expect(tableKeyPrefix('exports/2024 run', 'my-export', 'shop', 'sales', 'Order Lines')).toBe(
      'exports/2024_run/my-export/shop/sales.Order_Lines',
    );
    expect(tableKeyPrefix('', 'my-export', 'db', 'public', 't')).toBe('my-export/db/public.t');
    expect(tableKeyPrefix('/trailing/', 'id', 'db', 's', 't')).toBe('trailing/id/db/s.t');
  });

  it('names parts and metadata files as RDS does', () => {
    expect(partFileName(0, 'c5a881bb-58ff-4ee6-1111-b41ecff340a3')).toBe(
      'part-00000-c5a881bb-58ff-4ee6-1111-b41ecff340a3-c000.gz.parquet',
    );
    expect(exportInfoKey('p', 'x')).toBe('p/x/export_info_x.json');
    expect(exportTablesInfoKey('', 'x', 0, 9)).toBe('x/export_tables_info_x_from_0_to_9.json');
  });

  it('names the table definitions beside export_info, and tells the tables files among the keys', () => {
    expect(tableDefinitionsKey('p q', 'x', 'duckdb')).toBe('p_q/x/export_table_definitions_x_duckdb.sql');
    expect(isExportTablesInfoKey('p', 'x', 'p/x/export_tables_info_x_from_0_to_499.json')).toBe(true);
    expect(isExportTablesInfoKey('p', 'x', 'p/x/export_info_x.json')).toBe(false);
    expect(isExportTablesInfoKey('p', 'x', 'p/x/db/export_tables_info_x_from_0_to_1.json')).toBe(false);
  });
});
