import { quoteMyIdentifier as q, withMySql } from './mariadb';

/**
 * A MariaDB table with a column of every type of the AWS MySQL mapping and rows at the edges of
 * each: extremes of signed and unsigned integers, decimals up to DECIMAL(65,30), zero dates, NULLs,
 * unicode and binaries with zero bytes. Run with sql_mode '' so the zero dates go in.
 */
export const MY_ALL_TYPES_SQL = `
  CREATE TABLE all_types (
    id BIGINT PRIMARY KEY,
    c_bigint BIGINT, c_bigint_u BIGINT UNSIGNED,
    c_int INT, c_int_u INT UNSIGNED, c_mediumint MEDIUMINT, c_mediumint_u MEDIUMINT UNSIGNED,
    c_smallint SMALLINT, c_smallint_u SMALLINT UNSIGNED, c_tinyint TINYINT, c_tinyint_u TINYINT UNSIGNED,
    c_year YEAR,
    c_dec5_2 DECIMAL(5,2), c_dec18_4 DECIMAL(18,4), c_dec30_10 DECIMAL(30,10), c_dec65_30 DECIMAL(65,30),
    c_numeric NUMERIC(10,0),
    c_float FLOAT, c_double DOUBLE,
    c_bit BIT(10), c_binary BINARY(4), c_varbinary VARBINARY(10),
    c_tinyblob TINYBLOB, c_blob BLOB, c_mediumblob MEDIUMBLOB, c_longblob LONGBLOB,
    c_geometry GEOMETRY, c_point POINT,
    c_char CHAR(5), c_varchar VARCHAR(20), c_tinytext TINYTEXT, c_text TEXT, c_mediumtext MEDIUMTEXT,
    c_longtext LONGTEXT, c_enum ENUM('sad', 'ok', 'ünï'), c_set SET('a', 'b', 'c'), c_json JSON,
    c_date DATE, c_time TIME(6), c_datetime DATETIME(6), c_timestamp TIMESTAMP(6) NULL DEFAULT NULL,
    c_datetime0 DATETIME
  );
  INSERT INTO all_types VALUES (
    1, 1234567890123, 12345678901234567890,
    123456, 3000000000, -8388608, 16777215,
    -32768, 65535, -128, 255,
    2024,
    123.45, 12345678901234.5678, 12345678901234567890.0123456789,
    '12345678901234567890123456789012345.123456789012345678901234567891',
    9999999999,
    3.14, 2.718281828459045,
    b'1010101010', 0x00ff0001, 0x000102,
    'tiny', 0x00, 0x0000ff, 0xdeadbeef,
    ST_GeomFromText('POLYGON((0 0,1 0,1 1,0 0))', 4326), POINT(1.5, -2.5),
    'ab', 'héllo wörld', 'tiny ü', 'Tëxt with "quotes", \\\\backslash, tab\tand 😀', 'medium', 'long',
    'ünï', 'a,c', '{"b": 1, "a": [true, null, "ü"]}',
    '2024-02-29', '13:14:15.123456', '2024-02-29 13:14:15.123456', '2024-02-29 13:14:15.654321',
    '1969-07-20 20:17:40'
  ), (
    2, -9223372036854775808, 0,
    -2147483648, 0, -8388608, 0,
    -32768, 0, -128, 0,
    1901,
    -999.99, -99999999999999.9999, -99999999999999999999.9999999999,
    '-99999999999999999999999999999999999.999999999999999999999999999999',
    -9999999999,
    -3.40282e38, -1.7976931348623157e308,
    b'0000000000', 0x00000000, '',
    '', '', '', '',
    ST_GeomFromText('POINT(0 0)'), POINT(0, 0),
    '', '', '', '', '', '',
    'sad', '', '[]',
    '1000-01-01', '-838:59:59.000000', '1000-01-01 00:00:00.000000', '1970-01-01 00:00:01.000000',
    '1000-01-01 00:00:00'
  ), (
    3, 9223372036854775807, 18446744073709551615,
    2147483647, 4294967295, 8388607, 16777215,
    32767, 65535, 127, 255,
    2155,
    999.99, 99999999999999.9999, 99999999999999999999.9999999999,
    '99999999999999999999999999999999999.999999999999999999999999999999',
    9999999999,
    1.17549e-38, 2.2250738585072014e-308,
    b'1111111111', 0xffffffff, 0xffffffffffffffffffff,
    0xff, 0xff, 0xff, 0xff,
    ST_GeomFromText('LINESTRING(0 0,1 1)'), POINT(-180, 90),
    'ünï', '日本語', '😀', '😀', '😀', '😀',
    'ok', 'a,b,c', '{}',
    '9999-12-31', '838:59:59.000000', '9999-12-31 23:59:59.999999', '2038-01-19 03:14:07.999999',
    '9999-12-31 23:59:59'
  );
  INSERT INTO all_types (id, c_date, c_time, c_datetime, c_timestamp, c_datetime0) VALUES
    (4, '0000-00-00', '00:00:00', '0000-00-00 00:00:00', '0000-00-00 00:00:00', '2024-00-00 10:00:00');
  INSERT INTO all_types (id) VALUES (5);
`;

/**
 * The MariaDB sample the exports are tried on: all_types, `orders` of `orderRows` rows keyed for
 * cutting into ranges, a table whose names need quoting and an empty table.
 */
export function mySampleSql(orderRows: number): string {
  return `
    SET SESSION sql_mode = '';
    SET SESSION max_recursive_iterations = 1000000;
    ${MY_ALL_TYPES_SQL}
    CREATE TABLE orders (order_id INT UNSIGNED PRIMARY KEY, amount DECIMAL(12,2), placed_at DATETIME(6), note VARCHAR(100));
    INSERT INTO orders WITH RECURSIVE s(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM s WHERE n < ${orderRows})
      SELECT n, n * 1.13, TIMESTAMP('1960-01-01') + INTERVAL n HOUR + INTERVAL n MICROSECOND,
             IF(n % 10 = 0, NULL, CONCAT('order ü ', n)) FROM s;
    CREATE TABLE ${q('Odd `name` select')} (${q('select')} INT, ${q('Mixed`Case$ü')} VARCHAR(10));
    INSERT INTO ${q('Odd `name` select')} VALUES (1, 'x');
    CREATE TABLE empty_table (id INT PRIMARY KEY);
    ANALYZE TABLE orders;
  `;
}

const BINARY_TYPES = new Set(['binary', 'varbinary', 'tinyblob', 'blob', 'mediumblob', 'longblob']);
const GEOMETRY_TYPES = new Set([
  'geometry',
  'point',
  'linestring',
  'polygon',
  'multipoint',
  'multilinestring',
]);

interface SourceColumn {
  name: string;
  dataType: string;
  bits: number;
}

/**
 * How MariaDB itself shows a column's value, in a form each exported value can be checked against:
 * bytes as upper-case hex, DATETIME and TIMESTAMP as microseconds since the epoch (NULL for zero
 * and impossible dates), FLOAT as the DOUBLE holding it, everything else as its text.
 */
function ownValueExpression(column: SourceColumn): string {
  const name = q(column.name);
  // HEX() of a BIT value is its number's, without the leading zero bytes the column holds.
  if (column.dataType === 'bit') return `LPAD(HEX(${name}), ${2 * Math.ceil(column.bits / 8)}, '0')`;
  if (column.dataType === 'char') return `HEX(CONVERT(${name} USING utf8mb4))`;
  if (BINARY_TYPES.has(column.dataType) || GEOMETRY_TYPES.has(column.dataType)) return `HEX(${name})`;
  // A FLOAT as its exact value: CAST(... AS CHAR) alone prints it with 6 significant digits.
  if (column.dataType === 'float') return `CAST(CAST(${name} AS DOUBLE) AS CHAR)`;
  // `+ INTERVAL 0 SECOND` is NULL for a date no calendar has (2023-02-30), which TIMESTAMPDIFF counts on from.
  if (column.dataType === 'datetime' || column.dataType === 'timestamp')
    return `CAST(TIMESTAMPDIFF(MICROSECOND, '1970-01-01 00:00:00', ${name} + INTERVAL 0 SECOND) AS CHAR)`;
  return `CAST(${name} AS CHAR)`;
}

/** The server's own values of every column of a table (see ownValueExpression), ordered by the first column. */
export async function ownValuesOf(
  database: string,
  table: string,
): Promise<{ columns: string[]; rows: (string | null)[][] }> {
  return withMySql(async (connection) => {
    await connection.query("SET time_zone = '+00:00'");
    const [described] = await connection.query(
      `SELECT COLUMN_NAME AS name, DATA_TYPE AS dataType, CAST(COALESCE(NUMERIC_PRECISION, 0) AS CHAR) AS bits
         FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? ORDER BY ORDINAL_POSITION`,
      [database, table],
    );
    const columns = (described as { name: string; dataType: string; bits: string }[]).map((column) => ({
      ...column,
      bits: Number(column.bits),
    }));
    const [rows] = await connection.query({
      sql: `SELECT ${columns.map(ownValueExpression).join(', ')} FROM ${q(database)}.${q(table)} ORDER BY 1`,
      rowsAsArray: true,
    });
    return { columns: columns.map((column) => column.name), rows: rows as (string | null)[][] };
  });
}
