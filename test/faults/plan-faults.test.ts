import { pgUrl, recreateDatabase, withPg } from '../../scripts/local-stack/databases';
import { downloadPrefix, listObjects, ParquetReader } from '../../scripts/local-stack/readback';
import { adminClients, Stack } from '../../scripts/local-stack/stack';
import { ReadPointMessages } from '@snapex/contracts';
import { join } from 'node:path';
import { eventuallyValue } from '../support/eventually';
import { NatsServer, startPrivateNats } from '../support/private-nats';
import { printLogsIfFailed } from '../support/service-logs';
import { exportedDigests, sourceDigests, TableDigest } from '../support/table-digest';

const STACK_NAME = 'faults-plan';
const SOURCE_DB = 'snapex_faults_plan';
const REGISTRY_DB = 'snapex_registry_faults_plan';
const CLUSTER = 'faults-cluster';
const EVENT_ROWS = 120_000;
/** Many small tables make planning, and so the moments the faults are injected at, last a while. */
const SMALL_TABLES = 120;
const TABLES = [
  'events',
  ...Array.from({ length: SMALL_TABLES }, (_, n) => `small_${String(n).padStart(3, '0')}`),
];

/**
 * Faults injected while an export is planned and its plan announced: the restorer killed, the bus
 * down. Each export must end COMPLETE with every table equal to the source (rows, distinct keys, key
 * sum, ordered md5 of every row), or FAILED with a cause that says what happened.
 */
describe('faults while an export is planned', () => {
  let nats: NatsServer;
  let stack: Stack;
  let reader: ParquetReader;
  let expected: Record<string, TableDigest>;

  beforeAll(async () => {
    const url = await recreateDatabase(SOURCE_DB);
    await withPg(url, async (client) => {
      await client.query(`
        CREATE TABLE events (id bigint PRIMARY KEY, payload text);
        INSERT INTO events SELECT i, md5(i::text) || repeat('.', i % 40) FROM generate_series(1, ${EVENT_ROWS}) i;`);
      for (const table of TABLES.slice(1)) {
        await client.query(`
          CREATE TABLE ${table} (id bigint PRIMARY KEY, payload text);
          INSERT INTO ${table} SELECT i, '${table}-' || i FROM generate_series(1, 25) i;`);
      }
      await client.query('ANALYZE');
    });
    expected = await sourceDigests(url, 'public', TABLES);
    nats = await startPrivateNats();
    stack = await Stack.start({
      name: STACK_NAME,
      natsUrl: nats.url,
      sources: [{ name: CLUSTER, url, databases: [SOURCE_DB] }],
      config: {
        restorer: { partitionTargetBytes: 1024 * 1024 },
        extractor: { concurrency: 1 },
      },
    });
    reader = await ParquetReader.open();
  });

  afterAll(async () => {
    await stack?.stop();
    await nats?.stop();
  });

  afterEach(() => printLogsIfFailed(stack));

  async function registry<T>(sql: string, params: unknown[]): Promise<T[]> {
    return withPg(pgUrl(REGISTRY_DB), async (client) => (await client.query(sql, params)).rows);
  }

  async function taskIdOf(identifier: string): Promise<string> {
    return eventuallyValue(async () => {
      const [row] = await registry<{ task_id: string }>(
        'SELECT task_id FROM snapex_registry.export_tasks WHERE export_task_identifier = $1',
        [identifier],
      );
      return row?.task_id;
    });
  }

  /** Waits until the restorer logs that it lists the task's tables at its read point. */
  async function whilePlanning(taskId: string): Promise<void> {
    const planning = new RegExp(`"taskId":"${taskId}".*"msg":"planning tables"`);
    await eventuallyValue(async () => (planning.test(stack.logs('restorer')) ? true : undefined), 180_000);
  }

  async function oncePlanRecorded(taskId: string): Promise<void> {
    await eventuallyValue(async () => {
      const rows = await registry('SELECT 1 FROM snapex_registry.export_plans WHERE task_id = $1', [taskId]);
      return rows.length === 1 ? true : undefined;
    }, 180_000);
  }

  async function killAndRestart(service: 'restorer'): Promise<void> {
    const running = [...stack.services].reverse().find((candidate) => candidate.name === `${service}-0`)!;
    await stack.stopService(running, 'SIGKILL');
    await stack.startService(service, 0);
  }

  async function takeDownNats(forMs: number): Promise<void> {
    await nats.kill();
    await new Promise((resolve) => setTimeout(resolve, forMs));
    await nats.restart();
  }

  async function snapshotArn(identifier: string): Promise<string> {
    const created = await stack.api('/v1/CreateDBClusterSnapshot', {
      DBClusterSnapshotIdentifier: identifier,
      DBClusterIdentifier: CLUSTER,
    });
    expect(created.status).toBe(200);
    return eventuallyValue(async () => {
      const { body } = await stack.api('/v1/DescribeDBClusterSnapshots', {
        DBClusterSnapshotIdentifier: identifier,
      });
      const snapshot = body?.DBClusterSnapshots?.[0];
      return snapshot?.Status === 'available' ? (snapshot.DBClusterSnapshotArn as string) : undefined;
    }, 180_000);
  }

  async function exported(identifier: string): Promise<Record<string, TableDigest>> {
    const { dir, keys } = await downloadPrefix(adminClients(stack.moto).s3, stack.target.bucket, identifier);
    const files = keys.filter((key) => key.endsWith('.gz.parquet')).map((key) => join(dir, key));
    return exportedDigests(reader, 'public', files);
  }

  /** The export ended COMPLETE, from one plan, with every table exactly as the source holds it. */
  async function expectExact(identifier: string, taskId: string): Promise<void> {
    const task = await stack.waitForStatus(identifier, ['COMPLETE', 'FAILED', 'CANCELED'], 300_000);
    expect({ Status: task.Status, FailureCause: task.FailureCause }).toEqual({ Status: 'COMPLETE' });
    expect(await exported(identifier)).toEqual(expected);
    const attempts = await registry(
      'SELECT DISTINCT attempt FROM snapex_registry.export_plan_entries WHERE task_id = $1',
      [taskId],
    );
    expect(attempts).toHaveLength(1);
  }

  type Moment = (taskId: string) => Promise<void>;
  type Fault = () => Promise<void>;

  /** Starts an export of `sourceArn`, injects `fault` at `moment`, and answers the export's ids. */
  async function exportThrough(label: string, sourceArn: string, moment: Moment, fault: Fault) {
    const identifier = `${label}-${Date.now()}`;
    await stack.startExport(identifier, sourceArn);
    const taskId = await taskIdOf(identifier);
    await moment(taskId);
    await fault();
    return { identifier, taskId };
  }

  const killRestorer: Fault = () => killAndRestart('restorer');
  const natsDown: Fault = () => takeDownNats(3000);

  it.each([
    ['the restorer is killed while it plans', 'kill-planning', whilePlanning, killRestorer],
    [
      'the restorer is killed right after it recorded the plan',
      'kill-recorded',
      oncePlanRecorded,
      killRestorer,
    ],
  ])('completes a snapshot export exactly when %s', async (_case, label, moment, fault) => {
    const arn = await snapshotArn(`faults-${label}`);
    const { identifier, taskId } = await exportThrough(label, arn, moment, fault);
    await expectExact(identifier, taskId);
  });

  it.each([
    ['while the export is planned', 'nats-planning', whilePlanning],
    ['while the recorded plan is announced', 'nats-announcing', oncePlanRecorded],
  ])('completes a live export exactly when NATS goes down %s', async (_case, label, moment) => {
    const { identifier, taskId } = await exportThrough(label, stack.clusterArn(CLUSTER), moment, natsDown);
    await expectExact(identifier, taskId);
  });

  it('fails a live PostgreSQL export whose restorer died after planning, naming the lost read point', async () => {
    const { identifier } = await exportThrough(
      'lost-point',
      stack.clusterArn(CLUSTER),
      oncePlanRecorded,
      killRestorer,
    );
    const task = await stack.waitForStatus(identifier, ['COMPLETE', 'FAILED', 'CANCELED'], 300_000);
    expect(task.Status).toBe('FAILED');
    const table = /while table (\S+) was still to be read/.exec(task.FailureCause)?.[1];
    expect(TABLES.map((name) => `${SOURCE_DB}.public.${name}`)).toContain(table);
    expect(task.FailureCause).toBe(ReadPointMessages.lost(table!));
    const objects = await listObjects(adminClients(stack.moto).s3, stack.target.bucket, identifier);
    expect(objects.filter((object) => object.key.includes('/export_info_'))).toEqual([]);
  });
});
