import { ScratchServerConfig, scratchServerAsSource } from '@snapex/config';
import { MOTO_ACCOUNT } from '../../scripts/local-stack/moto';
import { Connection, createConnection } from 'mysql2/promise';
import { DumpFiles } from '../../apps/restorer/src/restore/dump-files';
import { MysqlScratchEngine } from '../../apps/restorer/src/restore/mysql-scratch-engine';
import { UnrestorableDumpError } from '../../apps/restorer/src/restore/scratch-engine';
import { mysqlSqlDumpGz, putDump, startLocalSnapshotStore } from './snapshot-store-fixtures';

const MYSQL_URL = 'mysql://root@127.0.0.1:3306/';
const SOURCE_DB = 'snapex_rst_my_source';
const CLONE_DB = 'snapex_rst_scratch_my_clone_1';
const RESTORED_DB = 'snapex_rst_scratch_my_restored_1';
const STORE_BUCKET = 'snapex-rst-my-store';
const ROWS = 50_000;
const NO_ABORT = new AbortController().signal;
const SERVER: ScratchServerConfig = { name: 'scratch-my', engine: 'mysql', url: MYSQL_URL };

interface Fingerprint {
  rows: string;
  checksum: string;
}

/** Row count and an order-independent checksum of every column of the rows up to maxId. */
async function fingerprint(client: Connection, database: string, maxId: number): Promise<Fingerprint> {
  const [rows] = await client.query(
    `SELECT CAST(COUNT(*) AS CHAR) AS \`rows\`,
            CAST(SUM(CRC32(CONCAT_WS('|', id, payload, amount, HEX(data)))) AS CHAR) AS checksum
       FROM ${client.escapeId(database)}.events WHERE id <= ?`,
    [maxId],
  );
  return (rows as Fingerprint[])[0];
}

async function scalar(client: Connection, sql: string): Promise<string> {
  const [rows] = await client.query(sql);
  return String(Object.values((rows as Record<string, unknown>[])[0])[0]);
}

describe('MySQL scratch copies', () => {
  const engine = new MysqlScratchEngine();
  let client: Connection;

  beforeAll(async () => {
    client = await createConnection({ uri: MYSQL_URL, multipleStatements: true });
    await client.query(`
      DROP DATABASE IF EXISTS ${SOURCE_DB};
      CREATE DATABASE ${SOURCE_DB} CHARACTER SET utf8mb4;
      USE ${SOURCE_DB};
      CREATE TABLE ${SOURCE_DB}.events (id bigint AUTO_INCREMENT PRIMARY KEY, payload varchar(100) NOT NULL,
                                        amount decimal(12, 2) NOT NULL, data blob) ENGINE = InnoDB;
      CREATE TABLE ${SOURCE_DB}.ledger (id int PRIMARY KEY, row_count bigint NOT NULL,
                                        amount_total decimal(20, 2) NOT NULL) ENGINE = InnoDB;
      INSERT INTO ${SOURCE_DB}.events (payload, amount, data)
        SELECT CONCAT('row ', MD5(seq), ' é ✓'), seq % 100000 / 100, UNHEX(MD5(seq)) FROM seq_1_to_${ROWS};
      INSERT INTO ${SOURCE_DB}.ledger SELECT 1, COUNT(*), SUM(amount) FROM ${SOURCE_DB}.events;`);
  });

  afterAll(async () => {
    await client.query(
      `DROP DATABASE IF EXISTS ${SOURCE_DB}; DROP DATABASE IF EXISTS ${CLONE_DB}; DROP DATABASE IF EXISTS ${RESTORED_DB};`,
    );
    await client.end();
  });

  it('clones a live database at one consistent point while it takes writes', async () => {
    const writer = await createConnection(MYSQL_URL);
    let writes = 0;
    let writing = true;
    // Each transaction appends a row and counts it in the ledger: a consistent copy agrees with itself.
    const writes$ = (async () => {
      while (writing) {
        const amount = (writes % 997) / 10;
        await writer.beginTransaction();
        await writer.query(`INSERT INTO ${SOURCE_DB}.events (payload, amount, data) VALUES (?, ?, ?)`, [
          `written during the clone ${writes}`,
          amount,
          Buffer.from([writes % 256, 0, 255]),
        ]);
        await writer.query(
          `UPDATE ${SOURCE_DB}.ledger SET row_count = row_count + 1, amount_total = amount_total + ? WHERE id = 1`,
          [amount],
        );
        await writer.commit();
        writes++;
      }
    })();
    while (writes < 20) await new Promise((resolve) => setTimeout(resolve, 10));
    const target = { server: SERVER, database: CLONE_DB };
    try {
      await engine.recreateDatabase(target);
      await engine.cloneDatabase(scratchServerAsSource(SERVER, MOTO_ACCOUNT), SOURCE_DB, target, NO_ABORT);
      while (writes < 40) await new Promise((resolve) => setTimeout(resolve, 10));
    } finally {
      writing = false;
      await writes$;
      await writer.end();
    }

    const cloneRows = Number(await scalar(client, `SELECT COUNT(*) FROM ${CLONE_DB}.events`));
    const sourceRows = Number(await scalar(client, `SELECT COUNT(*) FROM ${SOURCE_DB}.events`));
    // The copy is from a point mid-way: after some writes, before others.
    expect(cloneRows).toBeGreaterThan(ROWS);
    expect(cloneRows).toBeLessThan(sourceRows);
    // Both tables of the copy are from that same point.
    expect(await scalar(client, `SELECT CONCAT(row_count, '/', amount_total) FROM ${CLONE_DB}.ledger`)).toBe(
      await scalar(client, `SELECT CONCAT(COUNT(*), '/', SUM(amount)) FROM ${CLONE_DB}.events`),
    );
    // And every row the source had then is in the copy, value for value.
    const maxId = Number(await scalar(client, `SELECT MAX(id) FROM ${CLONE_DB}.events`));
    expect(await fingerprint(client, CLONE_DB, maxId)).toEqual(await fingerprint(client, SOURCE_DB, maxId));
    expect((await fingerprint(client, CLONE_DB, maxId)).rows).toBe(String(cloneRows));
  });

  it('kills the sessions still attached to a scratch database before making it again', async () => {
    const target = { server: SERVER, database: 'snapex_rst_scratch_my_sessions_1' };
    await engine.recreateDatabase(target);
    // A mariadb client left running by a restorer that was killed mid-restore.
    const leftover = await createConnection({ uri: MYSQL_URL, database: target.database });
    const working = leftover.query('SELECT SLEEP(60)');
    working.catch(() => undefined);
    await new Promise((resolve) => setTimeout(resolve, 200));
    await engine.recreateDatabase(target);
    await expect(working).rejects.toThrow();
    await engine.dropDatabase(target);
    leftover.destroy();
  });

  describe('restoring a snapshot dump from the snapshot store', () => {
    let store: Awaited<ReturnType<typeof startLocalSnapshotStore>>;
    let files: DumpFiles;

    beforeAll(async () => {
      store = await startLocalSnapshotStore(STORE_BUCKET);
      files = store.files;
    });

    afterAll(() => store?.stop());

    it('streams a gzip mysql-sql dump into a fresh database, every row intact', async () => {
      const maxId = Number(await scalar(client, `SELECT MAX(id) FROM ${SOURCE_DB}.events`));
      const dump = await putDump(
        store.s3,
        STORE_BUCKET,
        { database: SOURCE_DB, format: 'mysql-sql', key: `snapshots/my/${SOURCE_DB}.sql.gz` },
        mysqlSqlDumpGz(SOURCE_DB),
      );
      const target = { server: SERVER, database: RESTORED_DB };
      await engine.recreateDatabase(target);
      await engine.restoreDump(dump, files, target, NO_ABORT);
      expect(await fingerprint(client, RESTORED_DB, maxId)).toEqual(
        await fingerprint(client, SOURCE_DB, maxId),
      );
      expect(await engine.listDatabases(SERVER, 'snapex_rst_scratch_my_')).toEqual([CLONE_DB, RESTORED_DB]);
      await engine.dropDatabase(target);
      expect(await engine.listDatabases(SERVER, 'snapex_rst_scratch_my_')).toEqual([CLONE_DB]);
    });

    it('refuses a PostgreSQL dump', async () => {
      const dump = {
        database: SOURCE_DB,
        format: 'pg-custom' as const,
        key: 'snapshots/pg/db.dump',
        bytes: 1,
      };
      await expect(
        engine.restoreDump(dump, files, { server: SERVER, database: RESTORED_DB }, NO_ABORT),
      ).rejects.toThrow(UnrestorableDumpError);
    });
  });
});
