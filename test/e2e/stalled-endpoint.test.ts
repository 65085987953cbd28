import { PartitionStarted, StallMessages } from '@snapex/contracts';
import { connect, NatsConnection } from 'nats';
import { join } from 'node:path';
import { pgUrl } from '../../scripts/local-stack/databases';
import { downloadPrefix, ParquetReader } from '../../scripts/local-stack/readback';
import { adminClients, NATS_URL, Stack } from '../../scripts/local-stack/stack';
import { createEventsTable, exportedDigest, sourceDigest } from '../support/table-digest';
import { eventually } from '../support/eventually';
import { printLogsIfFailed } from '../support/service-logs';
import { StallingProxy } from '../support/stalling-proxy';

const SOURCE_DB = 'snapex_e2e_stall';
const ROWS = 60_000;
const STALL_SECONDS = 2;
const MAX_DELIVER = 3;

describe('an S3 endpoint that accepts connections and never answers', () => {
  let stack: Stack;
  let proxy: StallingProxy;
  let nats: NatsConnection;
  let reader: ParquetReader;

  beforeAll(async () => {
    await createEventsTable(SOURCE_DB, ROWS, 30);
    stack = await Stack.start({
      name: 'e2e-stall',
      sources: [{ name: 'stall-cluster', url: pgUrl(SOURCE_DB), databases: [SOURCE_DB] }],
      s3Endpoint: async (moto) => (proxy = await StallingProxy.start(moto)).endpoint,
      config: {
        nats: { url: NATS_URL, ackWaitSeconds: 10, maxDeliver: MAX_DELIVER },
        restorer: { partitionTargetBytes: 1024 * 1024 },
        extractor: { concurrency: 1, stallTimeoutSeconds: STALL_SECONDS },
      },
    });
    nats = await connect({ servers: NATS_URL });
    reader = await ParquetReader.open();
  });

  afterAll(async () => {
    await nats?.close();
    await stack?.stop();
    await proxy?.close();
  });

  afterEach(() => printLogsIfFailed(stack));

  /** Stalls the proxy as soon as the export's first partition starts: after the access checks. */
  function stallOnFirstPartition(identifier: string): void {
    const subscription = nats.subscribe(PartitionStarted.subject, {
      callback: (_error, message) => {
        if (message.json<{ exportTaskIdentifier: string }>().exportTaskIdentifier !== identifier) return;
        proxy.stall();
        subscription.unsubscribe();
      },
    });
  }

  it('retries a partition that stalled and ends with exactly the source rows once it answers again', async () => {
    const identifier = `stall-then-answer-${Date.now()}`;
    stallOnFirstPartition(identifier);
    await stack.startExport(identifier, stack.clusterArn('stall-cluster'));
    const abandoned = await eventually(
      async () => /no progress for \d+ s while waiting for the storage/.test(stack.logs('table-extractor')),
      60_000,
    );
    expect(abandoned).toBe(true);
    proxy.forward();

    const task = await stack.waitForStatus(identifier, ['COMPLETE', 'FAILED', 'CANCELED'], 120_000);
    expect({ Status: task.Status, FailureCause: task.FailureCause }).toEqual({ Status: 'COMPLETE' });
    const { s3 } = adminClients(stack.moto);
    const { dir, keys } = await downloadPrefix(s3, stack.target.bucket, identifier);
    const files = keys.filter((key) => key.endsWith('.gz.parquet')).map((key) => join(dir, key));
    expect(await exportedDigest(reader, files)).toEqual(await sourceDigest(SOURCE_DB));
  });

  it('fails the task, naming the table and the stall, once every attempt stalled', async () => {
    const identifier = `stall-for-good-${Date.now()}`;
    stallOnFirstPartition(identifier);
    await stack.startExport(identifier, stack.clusterArn('stall-cluster'));

    // Bounded: MAX_DELIVER stalls of STALL_SECONDS and the backoff between them, with room to spare.
    const task = await stack.waitForStatus(identifier, ['COMPLETE', 'FAILED', 'CANCELED'], 120_000);
    expect({ Status: task.Status, FailureCause: task.FailureCause }).toEqual({
      Status: 'FAILED',
      FailureCause: StallMessages.partitionStalled(`${SOURCE_DB}.public.events`, STALL_SECONDS, 'storage'),
    });
  });
});
