import { PutObjectCommand } from '@aws-sdk/client-s3';
import { ScratchServerConfig, scratchServerAsSource } from '@snapex/config';
import { MOTO_ACCOUNT } from '../../scripts/local-stack/moto';
import { DatabaseDump } from '@snapex/contracts';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { EmptyDumpError } from '../../apps/restorer/src/restore/dump-files';
import { PostgresScratchEngine } from '../../apps/restorer/src/restore/postgres-scratch-engine';
import { UnrestorableDumpError } from '../../apps/restorer/src/restore/scratch-engine';
import { dropDatabase, PG_ADMIN_URL, recreateDatabase, withPg } from '../../scripts/local-stack/databases';
import { pgCustomDump, putDump, runDump, startLocalSnapshotStore } from './snapshot-store-fixtures';

const SOURCE_DB = 'snapex_rst_pg_source';
const STORE_BUCKET = 'snapex-rst-pg-store';
const PREFIX = 'snapex_rst_scratch_pg_';
/**
 * Without "/": moto 5 miscomputes the signature of a ListObjectsV2 whose prefix contains one (see
 * scripts/local-stack/readback.ts). The restorer lists `<key>` and keeps what lies under `<key>/`.
 */
const DIRECTORY_DUMP_KEY = `directory-dump-${SOURCE_DB}`;
const NO_ABORT = new AbortController().signal;
const SERVER: ScratchServerConfig = { name: 'scratch-pg', engine: 'postgres', url: PG_ADMIN_URL };

const DIGEST_SQL = `
  SELECT (SELECT count(*) FROM shop.orders)::text AS orders,
         (SELECT md5(string_agg(id || note || amount || encode(blob, 'hex'), ',' ORDER BY id)) FROM shop.orders) AS digest,
         (SELECT count(*) FROM public.tags)::text AS tags`;

async function digestOf(database: string): Promise<Record<string, string>> {
  return withPg(
    PG_ADMIN_URL.replace(/\/[^/]*$/, `/${database}`),
    async (client) => (await client.query(DIGEST_SQL)).rows[0],
  );
}

function restoreWorkspaces(): string[] {
  return readdirSync(tmpdir()).filter((name) => name.startsWith('snapex-restore-'));
}

describe('PostgreSQL scratch copies', () => {
  const engine = new PostgresScratchEngine(2);
  let store: Awaited<ReturnType<typeof startLocalSnapshotStore>>;
  let expected: Record<string, string>;

  beforeAll(async () => {
    const url = await recreateDatabase(SOURCE_DB);
    await withPg(url, (client) =>
      client.query(`
        CREATE SCHEMA shop;
        CREATE TABLE shop.orders (id int PRIMARY KEY, note text, amount numeric(10, 2), blob bytea);
        INSERT INTO shop.orders SELECT i, 'note ' || i || ' ✓', i / 7.0, decode(md5(i::text), 'hex')
          FROM generate_series(1, 20000) i;
        CREATE TABLE public.tags (tag text);
        INSERT INTO public.tags VALUES ('a'), ('b'), (NULL);`),
    );
    expected = await digestOf(SOURCE_DB);
    store = await startLocalSnapshotStore(STORE_BUCKET);
  });

  afterAll(async () => {
    await store?.stop();
    for (const database of await engine.listDatabases(SERVER, PREFIX)) await dropDatabase(database);
    await dropDatabase(SOURCE_DB);
  });

  async function restored(dump: DatabaseDump, database: string): Promise<Record<string, string>> {
    const target = { server: SERVER, database };
    await engine.recreateDatabase(target);
    await engine.restoreDump(dump, store.files, target, NO_ABORT);
    return digestOf(database);
  }

  it('restores a gzip custom-format dump with pg_restore --jobs and removes its temporary file', async () => {
    const before = restoreWorkspaces();
    const dump = await putDump(
      store.s3,
      STORE_BUCKET,
      { database: SOURCE_DB, format: 'pg-custom', key: 'snapshots/custom/db.dump.gz' },
      gzipSync(pgCustomDump(SOURCE_DB)),
    );
    expect(await restored(dump, `${PREFIX}custom_1`)).toEqual(expected);
    expect(restoreWorkspaces()).toEqual(before);
  });

  it('with one job streams a gzip custom-format dump from the store into pg_restore, staging nothing', async () => {
    const dump = await putDump(
      store.s3,
      STORE_BUCKET,
      { database: SOURCE_DB, format: 'pg-custom', key: 'snapshots/streamed/db.dump.gz' },
      gzipSync(pgCustomDump(SOURCE_DB)),
    );
    const staged = jest.spyOn(store.files, 'downloadFile');
    const streamed = jest.spyOn(store.files, 'stream');
    try {
      const target = { server: SERVER, database: `${PREFIX}streamed_1` };
      const oneJob = new PostgresScratchEngine(1);
      await oneJob.recreateDatabase(target);
      await oneJob.restoreDump(dump, store.files, target, NO_ABORT);
      expect(await digestOf(target.database)).toEqual(expected);
      expect(staged).not.toHaveBeenCalled();
      expect(streamed).toHaveBeenCalledTimes(1);
    } finally {
      staged.mockRestore();
      streamed.mockRestore();
    }
  });

  it('hands the password to pg_restore in its environment, never on its command line', async () => {
    const secret = 'snapex-rst-secret-0001';
    const url = new URL(PG_ADMIN_URL);
    url.password = secret;
    const server = { ...SERVER, url: url.toString() };
    const dump = await putDump(
      store.s3,
      STORE_BUCKET,
      { database: SOURCE_DB, format: 'pg-custom', key: 'snapshots/argv/db.dump' },
      pgCustomDump(SOURCE_DB),
    );
    const target = { server, database: `${PREFIX}argv_1` };
    await engine.recreateDatabase(target);
    const seen: string[] = [];
    let restoring = true;
    const watching = (async () => {
      while (restoring) {
        const processes = spawnSync('ps', ['-eo', 'args'], { encoding: 'utf8' }).stdout.split('\n');
        seen.push(...processes.filter((line) => line.includes(`--dbname=${target.database}`)));
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    })();
    try {
      await engine.restoreDump(dump, store.files, target, NO_ABORT);
    } finally {
      restoring = false;
      await watching;
    }
    expect(seen.length).toBeGreaterThan(0);
    expect(seen.filter((line) => line.includes(secret))).toEqual([]);
    expect(await digestOf(target.database)).toEqual(expected);
  });

  it('stops a restore mid-way when aborted: pg_restore is killed and the temporary file removed', async () => {
    const before = restoreWorkspaces();
    const dump = await putDump(
      store.s3,
      STORE_BUCKET,
      { database: SOURCE_DB, format: 'pg-custom', key: 'snapshots/aborted/db.dump' },
      pgCustomDump(SOURCE_DB),
    );
    const target = { server: SERVER, database: `${PREFIX}aborted_1` };
    await engine.recreateDatabase(target);
    const controller = new AbortController();
    const restoring = engine.restoreDump(dump, store.files, target, controller.signal);
    setTimeout(() => controller.abort(), 50);
    await expect(restoring).rejects.toMatchObject({ name: 'AbortError' });
    expect(spawnSync('pgrep', ['-f', `dbname=${target.database}`]).status).toBe(1);
    expect(restoreWorkspaces()).toEqual(before);
  });

  it('restores a directory-format dump from its tree of objects', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'snapex-rst-dump-')), 'out');
    try {
      runDump('pg_dump', [
        '--format=directory',
        '--jobs=2',
        '-h',
        '127.0.0.1',
        '-U',
        'postgres',
        '-f',
        dir,
        SOURCE_DB,
      ]);
      for (const name of readdirSync(dir)) {
        await store.s3.send(
          new PutObjectCommand({
            Bucket: STORE_BUCKET,
            Key: `${DIRECTORY_DUMP_KEY}/${name}`,
            Body: readFileSync(join(dir, name)),
          }),
        );
      }
    } finally {
      rmSync(join(dir, '..'), { recursive: true, force: true });
    }
    const dump: DatabaseDump = {
      database: SOURCE_DB,
      format: 'pg-directory',
      key: DIRECTORY_DUMP_KEY,
      bytes: 0,
    };
    expect(await restored(dump, `${PREFIX}directory_1`)).toEqual(expected);
  });

  it('clones a live database through pg_dump piped into pg_restore', async () => {
    const target = { server: SERVER, database: `${PREFIX}clone_1` };
    await engine.recreateDatabase(target);
    await engine.cloneDatabase(scratchServerAsSource(SERVER, MOTO_ACCOUNT), SOURCE_DB, target, NO_ABORT);
    expect(await digestOf(target.database)).toEqual(expected);
  });

  it('fails with pg_restore’s own message on a dump that is not one, on an empty directory dump, and on MySQL dumps', async () => {
    const dump = await putDump(
      store.s3,
      STORE_BUCKET,
      { database: SOURCE_DB, format: 'pg-custom', key: 'snapshots/broken/db.dump' },
      Buffer.from('not a dump'),
    );
    await expect(restored(dump, `${PREFIX}broken_1`)).rejects.toThrow(
      /^pg_restore exited with code 1: pg_restore: error: did not find magic string in file header$/,
    );
    await expect(
      restored({ ...dump, format: 'pg-directory', key: 'no-such-dump' }, `${PREFIX}broken_1`),
    ).rejects.toThrow(EmptyDumpError);
    await expect(restored({ ...dump, format: 'mysql-sql' }, `${PREFIX}broken_1`)).rejects.toThrow(
      UnrestorableDumpError,
    );
  });
});
