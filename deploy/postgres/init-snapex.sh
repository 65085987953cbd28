#!/bin/sh
# First start of the compose stack's PostgreSQL (docker-entrypoint-initdb.d): the registry database,
# a read-only role for exports and a small "demo" database to export.
set -e

psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \
  -v registry_password="${SNAPEX_REGISTRY_PASSWORD:-snapex}" \
  -v reader_password="${SNAPEX_READER_PASSWORD:-snapex-reader}" <<'SQL'
-- task-registry owns its database and creates its schema (registry.schema) on first start.
CREATE ROLE snapex LOGIN PASSWORD :'registry_password';
CREATE DATABASE snapex_registry OWNER snapex;
REVOKE CONNECT ON DATABASE snapex_registry FROM PUBLIC;

-- Sources are read by a role that may read every table and change nothing.
CREATE ROLE snapex_reader LOGIN PASSWORD :'reader_password';
GRANT pg_read_all_data TO snapex_reader;

CREATE DATABASE demo;
\connect demo

CREATE SCHEMA sales;
CREATE TYPE sales.order_status AS ENUM ('pending', 'paid', 'shipped', 'cancelled');

CREATE TABLE public.customers (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  email       text NOT NULL UNIQUE,
  full_name   text NOT NULL,
  country     char(2),
  signed_up   timestamptz NOT NULL,
  preferences jsonb
);

CREATE TABLE sales.products (
  sku        text PRIMARY KEY,
  title      text NOT NULL,
  price      numeric(10, 2) NOT NULL,
  tags       text[] NOT NULL DEFAULT '{}',
  launched   date,
  discontinued boolean NOT NULL DEFAULT false
);

CREATE TABLE sales.orders (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  customer_id bigint NOT NULL REFERENCES public.customers (id),
  sku         text NOT NULL REFERENCES sales.products (sku),
  quantity    integer NOT NULL CHECK (quantity > 0),
  status      sales.order_status NOT NULL,
  ordered_at  timestamptz NOT NULL,
  note        text
);

CREATE TABLE public.audit_log (
  id      uuid PRIMARY KEY,
  payload bytea,
  at      timestamp
);

INSERT INTO public.customers (email, full_name, country, signed_up, preferences)
SELECT format('customer%s@example.com', n),
       format('Customer %s', n),
       (ARRAY['US', 'DE', 'FR', 'JP', 'BR', NULL])[1 + n % 6],
       timestamptz '2024-01-01 00:00:00+00' + n * interval '37 minutes',
       CASE WHEN n % 4 = 0 THEN NULL ELSE jsonb_build_object('newsletter', n % 2 = 0, 'locale', 'en') END
  FROM generate_series(1, 5000) AS n;

INSERT INTO sales.products (sku, title, price, tags, launched, discontinued)
SELECT format('SKU-%s', lpad(n::text, 4, '0')),
       format('Product №%s – ünïcödé', n),
       round((random() * 500 + 1)::numeric, 2),
       ARRAY['demo', CASE WHEN n % 2 = 0 THEN 'even' ELSE 'odd' END],
       date '2020-01-01' + n,
       n % 10 = 0
  FROM generate_series(1, 200) AS n;

INSERT INTO sales.orders (customer_id, sku, quantity, status, ordered_at, note)
SELECT 1 + n % 5000,
       format('SKU-%s', lpad((1 + n % 200)::text, 4, '0')),
       1 + n % 7,
       (ARRAY['pending', 'paid', 'shipped', 'cancelled']::sales.order_status[])[1 + n % 4],
       timestamptz '2024-06-01 00:00:00+00' + n * interval '11 seconds',
       CASE WHEN n % 50 = 0 THEN 'gift wrap' END
  FROM generate_series(1, 100000) AS n;

ANALYZE;
SQL
