import { connect, NatsConnection } from 'nats';
import { join } from 'node:path';
import { pgUrl, withPg } from '../../scripts/local-stack/databases';
import { downloadPrefix, ParquetReader } from '../../scripts/local-stack/readback';
import { adminClients, Stack } from '../../scripts/local-stack/stack';
import { STREAMS } from '@snapex/contracts';
import { eventuallyValue } from '../support/eventually';
import { NatsCluster, startNatsCluster } from '../support/private-nats';
import { printLogsIfFailed } from '../support/service-logs';
import { createEventsTable, exportedDigest, sourceDigest } from '../support/table-digest';

const STACK_NAME = 'faults-nats-cluster';
const SOURCE_DB = 'snapex_faults_nats_cluster';
const REGISTRY_DB = 'snapex_registry_faults_nats_cluster';
const CLUSTER = 'replicated-cluster';
const ROWS = 200_000;

/**
 * The services on a three-node JetStream cluster with every stream kept three times, and the node
 * leading the work queue killed (kill -9) while partitions are being exported: the other two keep
 * a quorum, the clients move to them, and the export ends COMPLETE with every row once.
 */
describe('a three-node JetStream cluster losing a node mid-export', () => {
  let cluster: NatsCluster;
  let stack: Stack;
  let admin: NatsConnection;
  let reader: ParquetReader;

  beforeAll(async () => {
    await createEventsTable(SOURCE_DB, ROWS, 50);
    cluster = await startNatsCluster(3);
    stack = await Stack.start({
      name: STACK_NAME,
      natsUrl: cluster.url,
      nats: { streamReplicas: 3, auth: { user: cluster.user, password: cluster.password } },
      sources: [{ name: CLUSTER, url: pgUrl(SOURCE_DB), databases: [SOURCE_DB] }],
      config: {
        restorer: { partitionTargetBytes: 1024 * 1024 },
        extractor: { concurrency: 1, batchRows: 2000 },
      },
    });
    admin = await connect({ servers: cluster.url.split(','), user: cluster.user, pass: cluster.password });
    reader = await ParquetReader.open();
  });

  afterAll(async () => {
    await admin?.close();
    await stack?.stop();
    await cluster?.stop();
  });

  afterEach(() => printLogsIfFailed(stack));

  /** Partitions the registry has as EXPORTED, and how many the plan has. */
  async function partitionCounts(identifier: string): Promise<{ exported: number; planned: number }> {
    return withPg(pgUrl(REGISTRY_DB), async (client) => {
      const { rows } = await client.query(
        `SELECT (SELECT count(*) FROM snapex_registry.export_partitions p
                  WHERE p.task_id = t.task_id AND p.status = 'EXPORTED')::int AS exported,
                coalesce((t.plan->>'partitionCount')::int, 0) AS planned
           FROM snapex_registry.export_tasks t WHERE t.export_task_identifier = $1`,
        [identifier],
      );
      return rows[0] ?? { exported: 0, planned: 0 };
    });
  }

  it('keeps every stream on three nodes', async () => {
    const manager = await admin.jetstreamManager();
    for (const { name } of Object.values(STREAMS)) {
      const info = await manager.streams.info(name);
      expect({ name, replicas: info.config.num_replicas, peers: info.cluster?.replicas?.length }).toEqual({
        name,
        replicas: 3,
        peers: 2,
      });
    }
  });

  it('ends COMPLETE and exact when the work queue leader dies mid-export', async () => {
    const expected = await sourceDigest(SOURCE_DB);
    const identifier = `cluster-${Date.now()}`;
    await stack.startExport(identifier, stack.clusterArn(CLUSTER));
    const before = await eventuallyValue(async () => {
      const counts = await partitionCounts(identifier);
      return counts.exported >= 2 ? counts : undefined;
    }, 120_000);

    const manager = await admin.jetstreamManager();
    const leader = (await manager.streams.info(STREAMS.work.name)).cluster?.leader;
    const victim = cluster.nodes.find((node) => node.name === leader)!;
    expect(victim).toBeDefined();
    await victim.kill();

    const task = await stack.waitForStatus(identifier, ['COMPLETE', 'FAILED', 'CANCELED'], 240_000);
    expect({ Status: task.Status, FailureCause: task.FailureCause }).toEqual({ Status: 'COMPLETE' });
    const { dir, keys } = await downloadPrefix(adminClients(stack.moto).s3, stack.target.bucket, identifier);
    const files = keys.filter((key) => key.endsWith('.gz.parquet')).map((key) => join(dir, key));
    expect(await exportedDigest(reader, files)).toEqual(expected);
    // The node died with partitions still to export.
    expect(before.exported).toBeLessThan((await partitionCounts(identifier)).planned);
    // The export went on without the dead node: JetStream elected another leader.
    // This connection may itself be moving off the dead node: asked again until a node answers.
    const after = await eventuallyValue(
      () =>
        manager.streams.info(STREAMS.work.name).then(
          (info) => info.cluster?.leader,
          () => undefined,
        ),
      30_000,
    );
    expect(after).not.toBe(leader);
  });
});
