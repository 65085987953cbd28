import { ScratchServerConfig, scratchServerAsSource } from '@snapex/config';
import { MOTO_ACCOUNT } from '../../scripts/local-stack/moto';
import { Connection, createConnection } from 'mysql2/promise';
import { DumpFiles } from '../../apps/restorer/src/restore/dump-files';
import { MembersUnreadableError } from '../../apps/restorer/src/restore/enum-members';
import { MysqlScratchEngine } from '../../apps/restorer/src/restore/mysql-scratch-engine';
import { RestoreFailedError, restoreFailure } from '../../apps/restorer/src/restore/restore-failures';
import { UnrestorableDumpError } from '../../apps/restorer/src/restore/scratch-engine';
import { MariaDbDumpTool } from '../../apps/restorer/src/snapshots/mariadb-dump.tool';
import { mysqlSqlDumpGz, putDump, startLocalSnapshotStore } from './snapshot-store-fixtures';

const MYSQL_URL = 'mysql://root@127.0.0.1:3306/';
const SOURCE_DB = 'snapex_rst_my_source';
const CLONE_DB = 'snapex_rst_scratch_my_clone_1';
const RESTORED_DB = 'snapex_rst_scratch_my_restored_1';
const STORE_BUCKET = 'snapex-rst-my-store';
const ROWS = 50_000;
const EXACT_DB = `snapex_rst_my_exact_${process.pid}`;
const EXACT_COPY_DB = `snapex_rst_scratch_my_exact_${process.pid}`;
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

/**
 * Values a copy may lose: a FLOAT beyond its 6-digit text and its negative zero, bytes a string
 * literal cannot hold, text in another character set, BIT, spatial, zero and impossible dates, TIME
 * beyond a day, 4-byte ENUM/SET members; a generated column is computed again, an invisible one
 * copied, and a trigger on the table fires on none of the copied rows.
 */
const EXACT_SQL = `
  SET SESSION sql_mode = 'ALLOW_INVALID_DATES';
  CREATE TABLE exact (
    id INT PRIMARY KEY, f FLOAT, f72 FLOAT(7,2), d DOUBLE, dec1 DECIMAL(1,0), ubig BIGINT UNSIGNED, y YEAR,
    bits BIT(64), bit3 BIT(3), bin VARBINARY(20), bl BLOB, g GEOMETRY, t TEXT,
    l1 VARCHAR(20) CHARACTER SET latin1, c CHAR(5), j JSON, tm TIME(6), dd DATE, dt DATETIME(6),
    ts TIMESTAMP(6) NULL DEFAULT NULL, e ENUM('a', '😀'), st SET('x', '𝄞'),
    gen INT AS (id * 2) VIRTUAL, inv INT INVISIBLE
  ) CHARACTER SET utf8mb4;
  CREATE TRIGGER exact_insert BEFORE INSERT ON exact FOR EACH ROW SET NEW.inv = -1;
  INSERT INTO exact (id, f, f72, d, dec1, ubig, y, bits, bit3, bin, bl, g, t, l1, c, j, tm, dd, dt, ts, e, st) VALUES
    (1, 123456792, 12345.67, 0.30000000000000004, -9, 18446744073709551615, 0, b'${'1'.repeat(64)}', 5,
     0x00275cff1a0a0d22, UNHEX(REPEAT('00ff7f80', 64)), POINT(1.5, -2), 'a\\'b"c\\\\d\\0e\\nf\\rg\\Zh 😀',
     'é ü', 'ab', '{"a": "é"}', '-838:59:59.000000', '2023-02-30', '0000-00-00 00:00:00',
     '2038-01-19 03:14:07.999999', '😀', 'x,𝄞'),
    (2, -1e-50, -0.01, -1.7976931348623157e308, 0, 0, 2155, b'0', 0, '', '', NULL, '', '', '', '[]',
     '00:00:00', '0000-00-00', '2024-02-30 23:59:59.5', '1970-01-01 00:00:01', 'a', ''),
    (3, 1.401298464324817e-45, NULL, 5e-324, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
     NULL, NULL, NULL, NULL, NULL, NULL, NULL);
  UPDATE exact SET inv = id * 10;
`;

/** Every value of the exact table as bytes (a FLOAT as its exact DOUBLE and sign), row by row. */
async function exactValues(client: Connection, database: string): Promise<unknown[]> {
  const [columns] = await client.query(
    `SELECT COLUMN_NAME AS name, DATA_TYPE AS type FROM information_schema.COLUMNS
      WHERE TABLE_SCHEMA = ? AND TABLE_NAME = 'exact' ORDER BY ORDINAL_POSITION`,
    [database],
  );
  const expressions = (columns as { name: string; type: string }[]).map(({ name, type }) =>
    type === 'float'
      ? `CONCAT(CAST(${name} AS DOUBLE), '/', ATAN2(${name}, -1) < 0) AS ${name}`
      : `HEX(CAST(${name} AS BINARY)) AS ${name}`,
  );
  const [rows] = await client.query(
    `SELECT ${expressions.join(', ')} FROM ${client.escapeId(database)}.exact ORDER BY id`,
  );
  return rows as unknown[];
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
      `DROP DATABASE IF EXISTS ${SOURCE_DB}; DROP DATABASE IF EXISTS ${CLONE_DB}; DROP DATABASE IF EXISTS ${RESTORED_DB};
       DROP DATABASE IF EXISTS ${EXACT_DB};`,
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

  it('clones every value exactly, the FLOATs too, firing no trigger', async () => {
    await client.query(`DROP DATABASE IF EXISTS ${EXACT_DB}; CREATE DATABASE ${EXACT_DB}; USE ${EXACT_DB};`);
    await client.query(EXACT_SQL);
    const target = { server: SERVER, database: EXACT_COPY_DB };
    try {
      await engine.recreateDatabase(target);
      await engine.cloneDatabase(scratchServerAsSource(SERVER, MOTO_ACCOUNT), EXACT_DB, target, NO_ABORT);
      const source = await exactValues(client, EXACT_DB);
      expect(source).toHaveLength(3);
      expect(source[1]).toMatchObject({ f: '0/1', inv: Buffer.from('20').toString('hex').toUpperCase() });
      expect(await exactValues(client, EXACT_COPY_DB)).toEqual(source);
    } finally {
      await engine.dropDatabase(target);
    }
  });

  it('says which privilege to grant when 4-byte ENUM members cannot be read', async () => {
    const user = `snapex_notemp_${process.pid}`;
    await client.query(
      `DROP USER IF EXISTS '${user}'@'%'; CREATE USER '${user}'@'%' IDENTIFIED BY 'pw';
       GRANT SELECT, SHOW VIEW ON ${EXACT_DB}.* TO '${user}'@'%';`,
    );
    const url = new URL(MYSQL_URL);
    url.username = user;
    url.password = 'pw';
    const target = { server: SERVER, database: EXACT_COPY_DB };
    try {
      await engine.recreateDatabase(target);
      const copying = engine.cloneDatabase(
        { ...scratchServerAsSource(SERVER, MOTO_ACCOUNT), url: url.toString() },
        EXACT_DB,
        target,
        NO_ABORT,
      );
      await expect(copying).rejects.toBeInstanceOf(MembersUnreadableError);
      const failure = restoreFailure(await copying.catch((error: unknown) => error), EXACT_DB);
      expect(failure).toBeInstanceOf(RestoreFailedError);
      expect((failure as RestoreFailedError).failureCause).toContain(
        `Database ${EXACT_DB} could not be restored: the ENUM column exact.e has members with 4-byte characters`,
      );
      expect((failure as RestoreFailedError).failureCause).toContain(
        `grant the CREATE TEMPORARY TABLES privilege on ${EXACT_DB}`,
      );
    } finally {
      await client.query(`DROP USER IF EXISTS '${user}'@'%'`);
      await engine.dropDatabase(target);
    }
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

    it('restores every value exactly from a snapshot dump, its trigger kept and fired by none', async () => {
      const running = await new MariaDbDumpTool().start(
        scratchServerAsSource(SERVER, MOTO_ACCOUNT),
        EXACT_DB,
      );
      const chunks: Buffer[] = [];
      await Promise.all([
        (async () => {
          for await (const chunk of running.output) chunks.push(chunk as Buffer);
        })(),
        running.finished,
      ]);
      const dump = await putDump(
        store.s3,
        STORE_BUCKET,
        { database: EXACT_DB, format: 'mysql-sql', key: `snapshots/my/${EXACT_DB}.sql.gz` },
        Buffer.concat(chunks),
      );
      const target = { server: SERVER, database: EXACT_COPY_DB };
      try {
        await engine.recreateDatabase(target);
        await engine.restoreDump(dump, files, target, NO_ABORT);
        expect(await exactValues(client, EXACT_COPY_DB)).toEqual(await exactValues(client, EXACT_DB));
        expect(
          await scalar(
            client,
            `SELECT COUNT(*) FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = '${EXACT_COPY_DB}'`,
          ),
        ).toBe('1');
      } finally {
        await engine.dropDatabase(target);
      }
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
