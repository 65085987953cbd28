import {
  CreateDBClusterSnapshotCommand,
  CreateDBSnapshotCommand,
  DBClusterNotFoundFault,
  DBClusterSnapshotAlreadyExistsFault,
  DBInstanceNotFoundFault,
  DBSnapshot,
  DBSnapshotAlreadyExistsFault,
  DBSnapshotNotFoundFault,
  DeleteDBClusterSnapshotCommand,
  DeleteDBSnapshotCommand,
  DescribeDBClusterSnapshotsCommand,
  DescribeDBSnapshotsCommand,
  InvalidDBClusterSnapshotStateFault,
  InvalidExportSourceStateFault,
  paginateDescribeDBSnapshots,
  RDSClient,
  StartExportTaskCommand,
} from '@aws-sdk/client-rds';
import { HeadObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { randomUUID } from 'node:crypto';
import { durableName } from '@snapex/bus';
import { eventIdFor, EventPayload, SnapshotRequested, STREAMS, TaskStarted } from '@snapex/contracts';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { runCli } from '../../libs/cli/src/cli';
import { call, eventually, publishBypassingDedup, watchSubject } from '../registry/registry-stack';
import {
  failTask,
  FORM,
  newIdentifier,
  parseXml,
  rejection,
  queryBody,
  signedRequest,
  startInput,
} from '../rds-api/rds-stack';
import { dropDatabase, pgUrl } from '../support/databases';
import {
  CUSTOMER_ROWS,
  MANUAL_SNAPSHOT_QUOTA,
  ORDER_ROWS,
  restoreMariaDbDump,
  SnapshotStack,
  startSnapshotStack,
  tableCountsMariaDb,
  tableCountsPostgres,
  withMariaDb,
} from './snapshot-stack';

describe('the snapshot catalogue', () => {
  let stack: SnapshotStack;
  let rds: RDSClient;
  let pgSnapshot: DBSnapshot;
  const restoredDatabases: string[] = [];

  beforeAll(async () => {
    stack = await startSnapshotStack();
    rds = stack.rdsStack.rds(stack.main);
  });

  afterAll(async () => {
    for (const database of restoredDatabases) {
      await dropDatabase(database);
      await withMariaDb((connection) => connection.query(`DROP DATABASE IF EXISTS \`${database}\``));
    }
    await stack?.stop();
  });

  const name = (label: string) => newIdentifier(stack.rdsStack, label);

  async function availableDbSnapshot(identifier: string): Promise<DBSnapshot> {
    return eventually(async () => {
      const { DBSnapshots } = await rds.send(
        new DescribeDBSnapshotsCommand({ DBSnapshotIdentifier: identifier }),
      );
      const snapshot = DBSnapshots![0];
      expect(snapshot.Status).not.toBe('failed');
      return snapshot.Status === 'available' ? snapshot : undefined;
    }, 60_000);
  }

  /** True once DescribeDBSnapshots no longer knows the snapshot. */
  async function goneFromDescribe(identifier: string): Promise<true | undefined> {
    try {
      await rds.send(new DescribeDBSnapshotsCommand({ DBSnapshotIdentifier: identifier }));
      return undefined;
    } catch (error) {
      if (error instanceof DBSnapshotNotFoundFault) return true;
      throw error;
    }
  }

  async function keysOf(arn: string): Promise<string[]> {
    const { rows } = await stack.rdsStack.pool.query('SELECT archive FROM snapshots WHERE arn = $1', [arn]);
    return rows[0].archive.dumps.map((dump: { key: string }) => dump.key);
  }

  it('takes a PostgreSQL DB snapshot with pg_dump, which pg_restore restores with the same rows', async () => {
    const identifier = name('pg');
    const created = await rds.send(
      new CreateDBSnapshotCommand({ DBSnapshotIdentifier: identifier, DBInstanceIdentifier: 'pgsrc' }),
    );
    expect(created.DBSnapshot).toMatchObject({
      DBSnapshotIdentifier: identifier,
      DBInstanceIdentifier: 'pgsrc',
      Status: 'creating',
      SnapshotType: 'manual',
      Engine: 'postgres',
      DBSnapshotArn: `arn:aws:rds:us-east-1:${stack.main.id}:snapshot:${identifier}`,
    });
    const before = Date.now();
    pgSnapshot = await availableDbSnapshot(identifier);
    expect(pgSnapshot.PercentProgress).toBe(100);
    expect(pgSnapshot.SnapshotCreateTime!.getTime()).toBeLessThanOrEqual(before + 60_000);

    const [key] = await keysOf(pgSnapshot.DBSnapshotArn!);
    expect(key).toBe(`snapshots/${stack.main.id}/db-snapshot/${identifier}/${stack.sourceDatabase}.dump`);
    const dir = mkdtempSync(join(tmpdir(), 'snapex-cat-'));
    try {
      const file = join(dir, 'dump');
      writeFileSync(file, await stack.objectBody(key));
      const listing = execFileSync('pg_restore', ['--list', file], { encoding: 'utf8' });
      expect(listing).toMatch(/TABLE DATA public orders/);
      expect(listing).toMatch(/VIEW public big_orders/);
      const restored = `snapex_cat_restored_pg_${stack.runId}`;
      restoredDatabases.push(restored);
      await dropDatabase(restored);
      execFileSync('createdb', ['--host=127.0.0.1', '--username=postgres', restored]);
      execFileSync('pg_restore', ['--no-owner', `--dbname=${pgUrl(restored)}`, file]);
      expect(await tableCountsPostgres(restored)).toEqual(await tableCountsPostgres(stack.sourceDatabase));
      expect((await tableCountsPostgres(restored)).orders).toBe(ORDER_ROWS);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('takes a MariaDB cluster snapshot as gzip SQL that restores into a database of another name', async () => {
    const identifier = name('my');
    const created = await rds.send(
      new CreateDBClusterSnapshotCommand({
        DBClusterSnapshotIdentifier: identifier,
        DBClusterIdentifier: 'mysrc',
      }),
    );
    expect(created.DBClusterSnapshot).toMatchObject({
      Status: 'creating',
      Engine: 'mysql',
      SnapshotType: 'manual',
    });
    const snapshot = await eventually(async () => {
      const { DBClusterSnapshots } = await rds.send(
        new DescribeDBClusterSnapshotsCommand({ DBClusterSnapshotIdentifier: identifier }),
      );
      return DBClusterSnapshots![0].Status === 'available' ? DBClusterSnapshots![0] : undefined;
    }, 60_000);
    expect(snapshot).toMatchObject({
      DBClusterIdentifier: 'mysrc',
      DBClusterSnapshotArn: `arn:aws:rds:us-east-1:${stack.main.id}:cluster-snapshot:${identifier}`,
    });
    const [key] = await keysOf(snapshot.DBClusterSnapshotArn!);
    expect(key).toMatch(/\.sql\.gz$/);
    const sql = gunzipSync(await stack.objectBody(key));
    expect(sql.toString('utf8')).not.toMatch(/^(CREATE DATABASE|USE )/m);
    expect(sql.toString('utf8')).toMatch(/TRIGGER/);
    const restored = `snapex_cat_restored_my_${stack.runId}`;
    restoredDatabases.push(restored);
    restoreMariaDbDump(sql, restored);
    const counts = await tableCountsMariaDb(restored);
    expect(counts).toEqual(await tableCountsMariaDb(stack.sourceDatabase));
    expect(counts).toMatchObject({ customers: CUSTOMER_ROWS, orders: ORDER_ROWS, audit: ORDER_ROWS });
  });

  it('does nothing for a redelivered dump request of a snapshot already available', async () => {
    const [key] = await keysOf(pgSnapshot.DBSnapshotArn!);
    const before = await stack.s3.send(new HeadObjectCommand({ Bucket: stack.bucket, Key: key }));
    const { rows } = await stack.rdsStack.pool.query('SELECT snapshot_id FROM snapshots WHERE arn = $1', [
      pgSnapshot.DBSnapshotArn,
    ]);
    const redelivered: EventPayload<typeof SnapshotRequested> = {
      eventId: eventIdFor(SnapshotRequested, rows[0].snapshot_id),
      snapshotId: rows[0].snapshot_id,
      accountId: stack.main.id,
      kind: 'db-snapshot',
      snapshotIdentifier: pgSnapshot.DBSnapshotIdentifier!,
      occurredAt: new Date().toISOString(),
      snapshotArn: pgSnapshot.DBSnapshotArn!,
      sourceName: 'pgsrc',
      engine: 'postgres',
      bucket: stack.bucket,
      keyPrefix: key.slice(0, key.lastIndexOf('/') + 1),
    };
    await publishBypassingDedup(stack.rdsStack, SnapshotRequested, redelivered);
    const manager = await stack.rdsStack.nats.jetstreamManager();
    await eventually(async () => {
      const info = await manager.consumers.info(
        STREAMS.work.name,
        durableName('restorer', SnapshotRequested.subject),
      );
      return info.num_pending === 0 && info.num_ack_pending === 0 ? true : undefined;
    });
    const after = await stack.s3.send(new HeadObjectCommand({ Bucket: stack.bucket, Key: key }));
    expect(after.LastModified).toEqual(before.LastModified);
    expect(after.ETag).toBe(before.ETag);
  });

  it('redoes a dump whose first attempt died, at the same key', async () => {
    const identifier = name('crash');
    const snapshotId = randomUUID();
    const arn = `arn:aws:rds:us-east-1:${stack.main.id}:snapshot:${identifier}`;
    const keyPrefix = `snapshots/${stack.main.id}/db-snapshot/${identifier}/`;
    const key = `${keyPrefix}${stack.sourceDatabase}.dump`;
    // What a dead first attempt leaves: the snapshot still creating, and whatever it had written.
    await stack.rdsStack.pool.query(
      `INSERT INTO snapshots (snapshot_id, account_id, kind, identifier, arn, engine, source_name, status, snapshot_type)
       VALUES ($1, $2, 'db-snapshot', $3, $4, 'postgres', 'pgsrc', 'creating', 'manual')`,
      [snapshotId, stack.main.id, identifier, arn],
    );
    await stack.s3.send(new PutObjectCommand({ Bucket: stack.bucket, Key: key, Body: 'half a dump' }));
    const request: EventPayload<typeof SnapshotRequested> = {
      eventId: eventIdFor(SnapshotRequested, snapshotId),
      snapshotId,
      accountId: stack.main.id,
      kind: 'db-snapshot',
      snapshotIdentifier: identifier,
      occurredAt: new Date().toISOString(),
      snapshotArn: arn,
      sourceName: 'pgsrc',
      engine: 'postgres',
      bucket: stack.bucket,
      keyPrefix,
    };
    await publishBypassingDedup(stack.rdsStack, SnapshotRequested, request);
    await availableDbSnapshot(identifier);
    expect(await keysOf(arn)).toEqual([key]);
    const dir = mkdtempSync(join(tmpdir(), 'snapex-cat-'));
    try {
      writeFileSync(join(dir, 'dump'), await stack.objectBody(key));
      expect(execFileSync('pg_restore', ['--list', join(dir, 'dump')], { encoding: 'utf8' })).toMatch(
        /TABLE DATA public orders/,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('fails a snapshot whose dump cannot be taken; a failed snapshot cannot be exported but can be deleted', async () => {
    const identifier = name('fail');
    await rds.send(
      new CreateDBSnapshotCommand({ DBSnapshotIdentifier: identifier, DBInstanceIdentifier: 'emptysrc' }),
    );
    const failed = await eventually(async () => {
      const { DBSnapshots } = await rds.send(
        new DescribeDBSnapshotsCommand({ DBSnapshotIdentifier: identifier }),
      );
      return DBSnapshots![0].Status === 'failed' ? DBSnapshots![0] : undefined;
    }, 60_000);
    expect(
      await rejection(
        rds,
        new StartExportTaskCommand(
          startInput(stack.rdsStack, stack.main, { SourceArn: failed.DBSnapshotArn }),
        ),
      ),
    ).toBeInstanceOf(InvalidExportSourceStateFault);
    await rds.send(new DeleteDBSnapshotCommand({ DBSnapshotIdentifier: identifier }));
    await eventually(() => goneFromDescribe(identifier));
  });

  it('says why a snapshot failed, in DescribeDBSnapshots and when it is exported', async () => {
    const identifier = name('locked');
    await rds.send(
      new CreateDBSnapshotCommand({ DBSnapshotIdentifier: identifier, DBInstanceIdentifier: 'lockedsrc' }),
    );
    const failed = await eventually(async () => {
      const { body } = await call(stack.rdsStack, '/v1/DescribeDBSnapshots', {
        body: { DBSnapshotIdentifier: identifier },
      });
      const [snapshot] = body.DBSnapshots;
      return snapshot.Status === 'failed' ? snapshot : undefined;
    }, 60_000);
    expect(failed.FailureReason).toMatch(
      /^The database server 127\.0\.0\.1:5432 refused the login of user snapex_no_such_user: /,
    );
    const refused = await rejection(
      rds,
      new StartExportTaskCommand(startInput(stack.rdsStack, stack.main, { SourceArn: failed.DBSnapshotArn })),
    );
    expect(refused).toBeInstanceOf(InvalidExportSourceStateFault);
    expect(refused.message).toContain(failed.FailureReason);
    await rds.send(new DeleteDBSnapshotCommand({ DBSnapshotIdentifier: identifier }));
  });

  it('answers every fault with the RDS code the SDK knows', async () => {
    const taken = pgSnapshot.DBSnapshotIdentifier!;
    expect(
      await rejection(
        rds,
        new CreateDBSnapshotCommand({ DBSnapshotIdentifier: taken, DBInstanceIdentifier: 'pgsrc' }),
      ),
    ).toBeInstanceOf(DBSnapshotAlreadyExistsFault);
    expect(
      await rejection(
        rds,
        new CreateDBSnapshotCommand({
          DBSnapshotIdentifier: taken.toUpperCase(),
          DBInstanceIdentifier: 'pgsrc',
        }),
      ),
    ).toBeInstanceOf(DBSnapshotAlreadyExistsFault);
    expect(
      await rejection(
        rds,
        new CreateDBSnapshotCommand({ DBSnapshotIdentifier: name('x'), DBInstanceIdentifier: 'nope' }),
      ),
    ).toBeInstanceOf(DBInstanceNotFoundFault);
    expect(
      await rejection(
        stack.rdsStack.rds(stack.other),
        new CreateDBSnapshotCommand({ DBSnapshotIdentifier: name('x'), DBInstanceIdentifier: 'pgsrc' }),
      ),
    ).toBeInstanceOf(DBInstanceNotFoundFault);
    expect(
      await rejection(
        rds,
        new CreateDBClusterSnapshotCommand({
          DBClusterSnapshotIdentifier: name('x'),
          DBClusterIdentifier: 'nope',
        }),
      ),
    ).toBeInstanceOf(DBClusterNotFoundFault);
    for (const bad of ['1abc', 'abc-', 'a--b', 'under_score', 'rds:mine', 'x'.repeat(256)]) {
      const fault = await rejection(
        rds,
        new CreateDBSnapshotCommand({ DBSnapshotIdentifier: bad, DBInstanceIdentifier: 'pgsrc' }),
      );
      expect(fault.name).toBe('InvalidParameterValue');
    }
    expect(
      (
        await rejection(
          rds,
          new CreateDBClusterSnapshotCommand({
            DBClusterSnapshotIdentifier: 'rds:mine',
            DBClusterIdentifier: 'pgsrc',
          }),
        )
      ).name,
    ).toBe('InvalidParameterValue');
    expect(
      await rejection(rds, new DeleteDBSnapshotCommand({ DBSnapshotIdentifier: 'missing' })),
    ).toBeInstanceOf(DBSnapshotNotFoundFault);
    expect(
      await rejection(rds, new DescribeDBSnapshotsCommand({ DBSnapshotIdentifier: 'missing' })),
    ).toBeInstanceOf(DBSnapshotNotFoundFault);
    expect(
      await rejection(
        stack.rdsStack.rds(stack.other),
        new DescribeDBSnapshotsCommand({ DBSnapshotIdentifier: taken }),
      ),
    ).toBeInstanceOf(DBSnapshotNotFoundFault);

    const mine = name('dup');
    await rds.send(
      new CreateDBClusterSnapshotCommand({ DBClusterSnapshotIdentifier: mine, DBClusterIdentifier: 'mysrc' }),
    );
    expect(
      await rejection(rds, new DeleteDBClusterSnapshotCommand({ DBClusterSnapshotIdentifier: mine })),
    ).toBeInstanceOf(InvalidDBClusterSnapshotStateFault);
    expect(
      await rejection(
        rds,
        new CreateDBClusterSnapshotCommand({
          DBClusterSnapshotIdentifier: mine,
          DBClusterIdentifier: 'mysrc',
        }),
      ),
    ).toBeInstanceOf(DBClusterSnapshotAlreadyExistsFault);
    expect(
      await rejection(
        rds,
        new StartExportTaskCommand(
          startInput(stack.rdsStack, stack.main, {
            SourceArn: `arn:aws:rds:us-east-1:${stack.main.id}:cluster-snapshot:${mine}`,
          }),
        ),
      ),
    ).toBeInstanceOf(InvalidExportSourceStateFault);
  });

  it('registers an existing dump after finding it in the store, refusing formats of another engine', async () => {
    const [key] = await keysOf(pgSnapshot.DBSnapshotArn!);
    const copied = `snapshots/${stack.main.id}/imports/${stack.runId}/registered.dump`;
    await stack.copyObject(key, copied);
    const identifier = name('reg');
    const body = (overrides: Record<string, unknown> = {}) => ({
      DBSnapshotIdentifier: identifier,
      DBInstanceIdentifier: 'pgsrc',
      Dumps: [{ Database: stack.sourceDatabase, Format: 'pg-custom', S3Key: copied }],
      ...overrides,
    });
    const missing = await call(stack.rdsStack, '/v1/RegisterDBSnapshot', {
      body: body({
        Dumps: [
          { Database: 'shop', Format: 'pg-custom', S3Key: `snapshots/${stack.main.id}/imports/none.dump` },
        ],
      }),
    });
    expect(missing.status).toBe(400);
    expect(missing.body.Error).toMatchObject({
      Code: 'InvalidParameterValue',
      Message: expect.stringMatching(/not found/),
    });
    // Another account's dump, or the whole store, is not the caller's to register (or later delete).
    for (const S3Key of [`snapshots/${stack.other.id}/imports/theirs.dump`, `snapshots/${stack.main.id}/`]) {
      const foreign = await call(stack.rdsStack, '/v1/RegisterDBSnapshot', {
        body: body({ Dumps: [{ Database: 'shop', Format: 'pg-directory', S3Key }] }),
      });
      expect(foreign.status).toBe(400);
      expect(foreign.body.Error).toMatchObject({
        Code: 'InvalidParameterValue',
        Message: expect.stringMatching(/must lie in your folder/),
      });
    }
    const wrongFormat = await call(stack.rdsStack, '/v1/RegisterDBSnapshot', {
      body: body({ Dumps: [{ Database: 'shop', Format: 'mysql-sql', S3Key: copied }] }),
    });
    expect(wrongFormat.body.Error).toMatchObject({
      Code: 'InvalidParameterValue',
      Message: expect.stringMatching(/mysql-sql/),
    });
    const wrongEngine = await call(stack.rdsStack, '/v1/RegisterDBSnapshot', {
      body: body({ Engine: 'mysql' }),
    });
    expect(wrongEngine.body.Error.Code).toBe('InvalidParameterValue');

    const registered = await call(stack.rdsStack, '/v1/RegisterDBSnapshot', { body: body() });
    expect(registered.status).toBe(200);
    expect(registered.body.DBSnapshot).toMatchObject({
      DBSnapshotIdentifier: identifier,
      Status: 'available',
      Engine: 'postgres',
    });

    const overQuery = await signedRequest(stack.rdsStack, stack.main, {
      headers: FORM,
      body: queryBody('RegisterDBClusterSnapshot', {
        DBClusterSnapshotIdentifier: name('regq'),
        DBClusterIdentifier: 'pgsrc',
        'Dumps.member.1.Database': stack.sourceDatabase,
        'Dumps.member.1.Format': 'pg-custom',
        'Dumps.member.1.S3Key': copied,
      }),
    });
    expect(overQuery.status).toBe(200);
    const result = parseXml(overQuery.text).RegisterDBClusterSnapshotResponse.RegisterDBClusterSnapshotResult;
    expect(result.DBClusterSnapshot).toMatchObject({
      Status: 'available',
      SnapshotType: 'manual',
      Engine: 'postgres',
    });

    // Both snapshots hold the same object: deleting one leaves it to the other.
    await rds.send(new DeleteDBSnapshotCommand({ DBSnapshotIdentifier: identifier }));
    await eventually(() => goneFromDescribe(identifier));
    expect(await stack.objectExists(copied)).toBe(true);
  });

  it('describes with filters and pages through with Marker and MaxRecords', async () => {
    const [key] = await keysOf(pgSnapshot.DBSnapshotArn!);
    const registered: string[] = [];
    for (let index = 0; index < 22; index++) {
      const identifier = name('page');
      const response = await call(stack.rdsStack, '/v1/RegisterDBSnapshot', {
        body: {
          DBSnapshotIdentifier: identifier,
          DBInstanceIdentifier: 'orders',
          Dumps: [{ Database: 'shop', Format: 'pg-custom', S3Key: key }],
        },
      });
      expect(response.status).toBe(200);
      registered.push(identifier);
    }
    const pages: DBSnapshot[][] = [];
    for await (const page of paginateDescribeDBSnapshots(
      { client: rds, pageSize: 20 },
      { Filters: [{ Name: 'db-instance-id', Values: ['orders'] }] },
    )) {
      pages.push(page.DBSnapshots ?? []);
    }
    expect(pages.map((page) => page.length)).toEqual([20, 2]);
    expect(pages.flat().map((snapshot) => snapshot.DBSnapshotIdentifier)).toEqual([...registered].reverse());

    const byInstance = await rds.send(
      new DescribeDBSnapshotsCommand({ DBInstanceIdentifier: 'pgsrc', SnapshotType: 'manual' }),
    );
    expect(byInstance.DBSnapshots!.map((s) => s.DBSnapshotIdentifier)).toContain(
      pgSnapshot.DBSnapshotIdentifier,
    );
    expect(byInstance.DBSnapshots!.every((s) => s.DBInstanceIdentifier === 'pgsrc')).toBe(true);
    const byId = await rds.send(
      new DescribeDBSnapshotsCommand({
        Filters: [{ Name: 'db-snapshot-id', Values: [pgSnapshot.DBSnapshotArn!] }],
      }),
    );
    expect(byId.DBSnapshots!.map((s) => s.DBSnapshotIdentifier)).toEqual([pgSnapshot.DBSnapshotIdentifier]);
    const mysqlOnes = await rds.send(
      new DescribeDBSnapshotsCommand({ Filters: [{ Name: 'engine', Values: ['mysql'] }] }),
    );
    expect(mysqlOnes.DBSnapshots).toEqual([]);
    expect((await rejection(rds, new DescribeDBSnapshotsCommand({ MaxRecords: 19 }))).name).toBe(
      'InvalidParameterValue',
    );
    expect(
      (
        await rejection(
          rds,
          new DescribeDBSnapshotsCommand({ Filters: [{ Name: 'status', Values: ['available'] }] }),
        )
      ).name,
    ).toBe('InvalidParameterValue');
    expect((await rejection(rds, new DescribeDBSnapshotsCommand({ SnapshotType: 'weekly' }))).name).toBe(
      'InvalidParameterValue',
    );
  });

  it('deletes a snapshot: deleting at once, then its objects and its entry are gone', async () => {
    const identifier = name('del');
    await rds.send(
      new CreateDBSnapshotCommand({ DBSnapshotIdentifier: identifier, DBInstanceIdentifier: 'pgsrc' }),
    );
    const snapshot = await availableDbSnapshot(identifier);
    const [key] = await keysOf(snapshot.DBSnapshotArn!);
    expect(await stack.objectExists(key)).toBe(true);
    const deleting = await rds.send(new DeleteDBSnapshotCommand({ DBSnapshotIdentifier: identifier }));
    expect(deleting.DBSnapshot!.Status).toBe('deleting');
    await eventually(async () => ((await stack.objectExists(key)) ? undefined : true));
    await eventually(() => goneFromDescribe(identifier));
  });

  it('exports an available snapshot, and keeps its archive through a delete until the export ends', async () => {
    const [key] = await keysOf(pgSnapshot.DBSnapshotArn!);
    const copied = `snapshots/${stack.main.id}/imports/${stack.runId}/exported.dump`;
    await stack.copyObject(key, copied);
    const identifier = name('exp');
    await call(stack.rdsStack, '/v1/RegisterDBSnapshot', {
      body: {
        DBSnapshotIdentifier: identifier,
        DBInstanceIdentifier: 'pgsrc',
        Dumps: [{ Database: stack.sourceDatabase, Format: 'pg-custom', S3Key: copied }],
      },
    });
    const snapshot = await availableDbSnapshot(identifier);
    const started = watchSubject(stack.rdsStack.nats, TaskStarted);
    const watcher = await started;
    try {
      const input = startInput(stack.rdsStack, stack.main, { SourceArn: snapshot.DBSnapshotArn });
      const task = await rds.send(new StartExportTaskCommand(input));
      expect(task).toMatchObject({
        Status: 'STARTING',
        SourceType: 'SNAPSHOT',
        SourceArn: snapshot.DBSnapshotArn,
      });
      expect(task.SnapshotTime).toEqual(snapshot.SnapshotCreateTime);
      const event = await watcher.waitFor<EventPayload<typeof TaskStarted>>(
        (payload) => payload.exportTaskIdentifier === input.ExportTaskIdentifier,
      );
      expect(event.spec).toMatchObject({
        sourceType: 'SNAPSHOT',
        sourceName: 'pgsrc',
        engine: 'postgres',
        snapshot: {
          snapshotArn: snapshot.DBSnapshotArn,
          snapshotIdentifier: identifier,
          kind: 'db-snapshot',
          engine: 'postgres',
          snapshotTime: snapshot.SnapshotCreateTime!.toISOString(),
          archive: {
            bucket: stack.bucket,
            dumps: [{ database: stack.sourceDatabase, format: 'pg-custom', key: copied }],
          },
        },
      });
      expect(
        await rejection(rds, new StartExportTaskCommand({ ...input, ExportTaskIdentifier: name('exp2') })),
      ).toBeInstanceOf(InvalidExportSourceStateFault);

      const deleting = await rds.send(new DeleteDBSnapshotCommand({ DBSnapshotIdentifier: identifier }));
      expect(deleting.DBSnapshot!.Status).toBe('deleting');
      await new Promise((resolve) => setTimeout(resolve, 5000));
      expect(await stack.objectExists(copied)).toBe(true);
      await failTask(stack.rdsStack, stack.main, input.ExportTaskIdentifier);
      await eventually(async () => ((await stack.objectExists(copied)) ? undefined : true));
    } finally {
      await watcher.close();
    }
  });

  it('keeps an account within its quota of manual snapshots', async () => {
    const [dumped] = await keysOf(pgSnapshot.DBSnapshotArn!);
    // An account registers what lies in its own folder of the store.
    const key = `snapshots/${stack.bulk.id}/imports/${stack.runId}/quota.dump`;
    await stack.copyObject(dumped, key);
    const register = (identifier: string) =>
      call(stack.rdsStack, '/v1/RegisterDBClusterSnapshot', {
        apiKey: stack.bulk.apiKey,
        body: {
          DBClusterSnapshotIdentifier: identifier,
          DBClusterIdentifier: 'orders',
          Dumps: [{ Database: 'shop', Format: 'pg-custom', S3Key: key }],
        },
      });
    const identifiers = Array.from({ length: MANUAL_SNAPSHOT_QUOTA }, () => name('quota'));
    for (const identifier of identifiers) expect((await register(identifier)).status).toBe(200);
    const refused = await register(name('quota'));
    expect(refused.status).toBe(400);
    expect(refused.body.Error.Code).toBe('SnapshotQuotaExceeded');
    const bulk = stack.rdsStack.rds(stack.bulk);
    await bulk.send(new DeleteDBClusterSnapshotCommand({ DBClusterSnapshotIdentifier: identifiers[0] }));
    expect((await register(name('quota'))).status).toBe(200);
    expect(await stack.objectExists(key)).toBe(true);
  });

  it('lists DB snapshots with the snapex command, as the AWS CLI prints them', async () => {
    const stdout: string[] = [];
    const code = await runCli(['describe-db-snapshots', '--db-instance-identifier', 'pgsrc'], {
      stdout: { write: (text: string) => stdout.push(text) },
      stderr: { write: () => undefined },
      env: {
        SNAPEX_ENDPOINT_URL: stack.rdsStack.baseUrl,
        AWS_ACCESS_KEY_ID: stack.main.accessKeyId,
        AWS_SECRET_ACCESS_KEY: stack.main.secretAccessKey,
        AWS_REGION: 'us-east-1',
      },
      watch: { intervalMs: 10 },
    });
    expect(code).toBe(0);
    const printed = JSON.parse(stdout.join(''));
    expect(printed.DBSnapshots).toContainEqual(
      expect.objectContaining({
        DBSnapshotIdentifier: pgSnapshot.DBSnapshotIdentifier,
        SnapshotCreateTime: pgSnapshot.SnapshotCreateTime!.toISOString(),
      }),
    );
  });

  it('takes automated snapshots on the source schedule, which users may not delete', async () => {
    const automated = await eventually(async () => {
      const { DBClusterSnapshots } = await rds.send(
        new DescribeDBClusterSnapshotsCommand({ DBClusterIdentifier: 'autosrc', SnapshotType: 'automated' }),
      );
      return DBClusterSnapshots!.find((snapshot) => snapshot.Status === 'available');
    }, 60_000);
    expect(automated.DBClusterSnapshotIdentifier).toMatch(/^rds:autosrc-\d{4}-\d\d-\d\d-\d\d-\d\d$/);
    expect(automated).toMatchObject({ SnapshotType: 'automated', Engine: 'postgres' });
    expect(
      await rejection(
        rds,
        new DeleteDBClusterSnapshotCommand({
          DBClusterSnapshotIdentifier: automated.DBClusterSnapshotIdentifier,
        }),
      ),
    ).toBeInstanceOf(InvalidDBClusterSnapshotStateFault);
    expect(
      await rejection(
        rds,
        new DeleteDBSnapshotCommand({ DBSnapshotIdentifier: pgSnapshot.DBSnapshotIdentifier + 'x' }),
      ),
    ).toBeInstanceOf(DBSnapshotNotFoundFault);
  });
});
