import { withPg } from './databases';

/**
 * A database with a column of every type in the seed's PostgreSQL table, several schemas, NULLs,
 * unicode text, empty tables and one table of `orderRows` rows.
 */
export const SAMPLE_DDL = `
CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy');
CREATE TYPE address AS (street text, zip int);
CREATE DOMAIN positive_int AS integer CHECK (VALUE > 0);

CREATE TABLE public.all_types (
  id                bigserial PRIMARY KEY,
  c_bigint          bigint,
  c_decimal         numeric(20, 6),
  c_double          double precision,
  c_integer         integer,
  c_money           money,
  c_real            real,
  c_serial          serial,
  c_smallint        smallint,
  c_smallserial     smallserial,
  c_array           integer[],
  c_text_array      text[],
  c_bit             bit(8),
  c_varbit          bit varying(16),
  c_bytea           bytea,
  c_char            char,
  c_char_n          char(10),
  c_enum            mood,
  c_name            name,
  c_text            text,
  c_tsvector        tsvector,
  c_tsquery         tsquery,
  c_varchar         varchar(40),
  c_xml             xml,
  c_date            date,
  c_interval        interval,
  c_time            time,
  c_timetz          time with time zone,
  c_timestamp       timestamp,
  c_timestamptz     timestamp with time zone,
  c_box             box,
  c_circle          circle,
  c_line            line,
  c_lseg            lseg,
  c_path            path,
  c_point           point,
  c_polygon         polygon,
  c_json            json,
  c_jsonb           jsonb,
  c_boolean         boolean,
  c_cidr            cidr,
  c_composite       address,
  c_domain          positive_int,
  c_inet            inet,
  c_macaddr         macaddr,
  c_oid             oid,
  c_pg_lsn          pg_lsn,
  c_range           int4range,
  c_uuid            uuid
);

INSERT INTO public.all_types (
  c_bigint, c_decimal, c_double, c_integer, c_money, c_real, c_smallint, c_array, c_text_array, c_bit, c_varbit,
  c_bytea, c_char, c_char_n, c_enum, c_name, c_text, c_tsvector, c_tsquery, c_varchar, c_xml, c_date, c_interval,
  c_time, c_timetz, c_timestamp, c_timestamptz, c_box, c_circle, c_line, c_lseg, c_path, c_point, c_polygon,
  c_json, c_jsonb, c_boolean, c_cidr, c_composite, c_domain, c_inet, c_macaddr, c_oid, c_pg_lsn, c_range, c_uuid)
SELECT
  (i * 1000003)::bigint * (CASE WHEN i % 2 = 0 THEN 1 ELSE -1 END) * 1000000007,
  round((i * 3.14159265)::numeric, 6),
  i * 1.5e-3 + 1e300 * (i % 3 - 1),
  i * 7,
  (i * 12.34)::numeric::money,
  (i / 3.0)::real,
  (i % 32767)::smallint,
  ARRAY[i, i + 1, NULL],
  ARRAY['a"b', 'ünï', NULL],
  (i % 256)::bit(8),
  (i % 1024)::bit(10)::varbit,
  decode(lpad(to_hex(i), 8, '0') || '00ff', 'hex'),
  chr(65 + i % 26),
  'chr' || i,
  (ARRAY['sad', 'ok', 'happy'])[1 + i % 3]::mood,
  'name_' || i,
  'Zürich ☃ 東京 ' || repeat('x', i % 7) || E'\\n' || i,
  to_tsvector('english', 'the quick brown fox ' || i),
  to_tsquery('english', 'fox & ' || i),
  'varchar ' || i,
  xmlparse(content '<a n="' || i || '">x</a>'),
  date '2000-01-01' + i,
  make_interval(days => i, hours => i % 24, secs => i / 7.0),
  time '00:00' + make_interval(secs => i * 37),
  (time '12:00' + make_interval(mins => i))::timetz,
  timestamp '1969-07-20 20:17:40.123456' + make_interval(days => i),
  timestamptz '2020-02-29 23:59:59.999999+02' + make_interval(hours => i),
  box(point(i, i), point(i + 1, i + 2)),
  circle(point(i, -i), i + 0.5),
  line(point(0, 0), point(1, i + 1)),
  lseg(point(0, i), point(i, 0)),
  path(polygon(box(point(0, 0), point(i, i)))),
  point(i / 2.0, -i / 3.0),
  polygon(box(point(0, 0), point(i + 1, i + 1))),
  json_build_object('i', i, 'name', 'ü' || i, 'nested', json_build_array(1, 2, i)),
  jsonb_build_object('i', i, 'flag', i % 2 = 0),
  i % 2 = 0,
  ('10.' || (i % 256) || '.0.0/16')::cidr,
  ROW('Main St ' || i, 10000 + i)::address,
  i + 1,
  ('192.168.' || (i % 256) || '.' || (i % 200 + 1))::inet,
  ('08:00:2b:01:02:' || lpad(to_hex(i % 256), 2, '0'))::macaddr,
  (1000 + i)::oid,
  ('16/' || to_hex(i * 4096))::pg_lsn,
  int4range(i, i + 10),
  md5(i::text)::uuid
FROM generate_series(1, 60) AS i;

INSERT INTO public.all_types (c_text, c_double, c_real, c_bigint) VALUES
  ('special floats', 'NaN', 'Infinity', 9223372036854775807),
  (NULL, '-Infinity', '-0', -9223372036854775808);
INSERT INTO public.all_types DEFAULT VALUES;

CREATE SCHEMA sales;
CREATE TABLE sales.orders (
  order_id    bigint PRIMARY KEY,
  customer    text NOT NULL,
  amount      numeric(12, 2),
  quantity    integer,
  ordered_at  timestamptz,
  shipped     boolean,
  note        text
);
INSERT INTO sales.orders
SELECT i,
       'customer-' || (i % 9973),
       round((i % 100000) * 0.37, 2),
       i % 50,
       timestamptz '2024-01-01 00:00:00+00' + make_interval(secs => i * 17),
       i % 3 = 0,
       CASE WHEN i % 10 = 0 THEN NULL ELSE 'note ' || i END
FROM generate_series(1, $ORDER_ROWS) AS i;
CREATE TABLE sales.refunds (refund_id integer PRIMARY KEY, order_id bigint, reason text);

CREATE SCHEMA inventory;
CREATE TABLE inventory.items (sku text PRIMARY KEY, title text, weight real, stock smallint);
INSERT INTO inventory.items VALUES
  ('SKU-1', 'Teekanne «Ümlaut»', 1.25, 10),
  ('SKU-2', '日本語の商品', NULL, -3),
  ('SKU-3', NULL, 0, NULL);
CREATE TABLE inventory.empty_table (id integer, label text);
`;

export async function createSampleDatabase(url: string, orderRows = 100_000): Promise<void> {
  await withPg(url, (client) => client.query(SAMPLE_DDL.replace('$ORDER_ROWS', String(orderRows))));
  await withPg(url, (client) => client.query('ANALYZE'));
}
