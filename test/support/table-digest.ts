import { escapeIdentifier } from 'pg';
import { pgUrl, recreateDatabase, withPg } from '../../scripts/local-stack/databases';
import { ParquetReader, parquetList } from '../../scripts/local-stack/readback';

/** What says a table arrived whole and exact: rows, distinct keys, the keys' sum and an ordered md5 of every row. */
export interface TableDigest {
  rows: string;
  distinctKeys: string;
  keySum: string;
  orderedMd5: string;
}

/** Digests of tables `(id bigint, payload text)` of one PostgreSQL schema, by table name. */
export async function sourceDigests(
  url: string,
  schema: string,
  tables: string[],
): Promise<Record<string, TableDigest>> {
  return withPg(url, async (client) => {
    const digests: Record<string, TableDigest> = {};
    for (const table of tables) {
      const { rows } = await client.query<TableDigest>(
        `SELECT count(*)::text AS rows, count(DISTINCT id)::text AS "distinctKeys", sum(id)::text AS "keySum",
                md5(string_agg(id::text || ':' || coalesce(payload, '~'), ',' ORDER BY id)) AS "orderedMd5"
         FROM ${escapeIdentifier(schema)}.${escapeIdentifier(table)}`,
      );
      digests[table] = rows[0];
    }
    return digests;
  });
}

/**
 * The same digests of the exported Parquet files, read by DuckDB and grouped by the table folder
 * (`…/<schema>.<table>/<partition>/part-….gz.parquet`) each file is in.
 */
export async function exportedDigests(
  reader: ParquetReader,
  schema: string,
  files: string[],
): Promise<Record<string, TableDigest>> {
  const folder = `/${schema.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\.([^/]+)/[0-9]+/[^/]+$`;
  const rows = await reader.rows(
    `SELECT regexp_extract(filename, '${folder}', 1) AS "table", count(*)::VARCHAR AS rows,
            count(DISTINCT id)::VARCHAR AS "distinctKeys", sum(id)::VARCHAR AS "keySum",
            md5(string_agg(CAST(id AS VARCHAR) || ':' || coalesce(payload, '~'), ',' ORDER BY id)) AS "orderedMd5"
     FROM read_parquet(${parquetList(files)}, filename = true)
     GROUP BY 1`,
  );
  return Object.fromEntries(
    rows.map(({ table, ...digest }) => [String(table), digest as unknown as TableDigest]),
  );
}

/** A fresh database with one table `events (id, payload)` of `rows` rows of varying length. */
export async function createEventsTable(database: string, rows: number, padding: number): Promise<void> {
  await withPg(await recreateDatabase(database), (client) =>
    client.query(`
      CREATE TABLE events (id bigint PRIMARY KEY, payload text);
      INSERT INTO events SELECT i, md5(i::text) || repeat('.', i % ${padding}) FROM generate_series(1, ${rows}) i;
      ANALYZE events;`),
  );
}

/** The digest of the `events` table of `database`. */
export async function sourceDigest(database: string): Promise<TableDigest> {
  return (await sourceDigests(pgUrl(database), 'public', ['events'])).events;
}

/** The digest of the `events` rows exported into these Parquet files. */
export async function exportedDigest(reader: ParquetReader, files: string[]): Promise<TableDigest> {
  return (await exportedDigests(reader, 'public', files)).events;
}
