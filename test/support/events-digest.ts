import { pgUrl, recreateDatabase, withPg } from '../../scripts/local-stack/databases';
import { parquetList, ParquetReader } from '../../scripts/local-stack/readback';

/** Row count, sum of ids and md5 of the payloads in id order: equal digests mean the same rows. */
export interface EventsDigest {
  n: string;
  ids: string;
  payloads: string;
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

export async function sourceDigest(database: string): Promise<EventsDigest> {
  return withPg(pgUrl(database), async (client) => {
    const { rows } = await client.query(
      `SELECT count(*)::text AS n, sum(id)::text AS ids, md5(string_agg(payload, ',' ORDER BY id)) AS payloads FROM events`,
    );
    return rows[0];
  });
}

/** The digest of the events exported into these Parquet files, read back with DuckDB. */
export async function exportedDigest(reader: ParquetReader, files: string[]): Promise<EventsDigest> {
  const [digest] = await reader.rows(
    `SELECT count(*)::VARCHAR AS n, sum(id)::VARCHAR AS ids, md5(string_agg(payload, ',' ORDER BY id)) AS payloads
       FROM read_parquet(${parquetList(files)})`,
  );
  return digest as unknown as EventsDigest;
}
