import { partObjectKey } from './part-object-key';
import { GetPartitionStateRpc } from '@snapex/contracts';
import { PassThrough, Writable } from 'node:stream';
import { EventPublisher, PermanentError, RetryableError, RpcClient } from '@snapex/bus';
import { parseConfig } from '@snapex/config';
import {
  ColumnPlan,
  EventContract,
  ExportTaskStatus,
  FailureMessages,
  SizeLimitMessages,
  StallMessages,
  SourceFailureMessages,
  tableTarget,
} from '@snapex/contracts';
import {
  DatabaseEngine,
  engineFor,
  ExportRow,
  PartitionReadRequest,
  RowTooLargeError,
  ValueTooLargeError,
} from '@snapex/engines';
import type { FooterEntries, OpenPartEncoder, PartEncoder, PartRow, PartStats } from '@snapex/parquet';
import { StoppedTasks } from '@snapex/service';
import pino from 'pino';
import { BIGINT_ID_COLUMN } from '../../../test/support/fixtures';
import { ExportPartition, PartitionRequest } from './export-partition.use-case';
import { PartStorage, PartTarget, PartUpload, PartUploadError } from './part-upload';
import { PARTITION_RECORD_KEYS, partitionRecordOf, StoredFooter } from './partition-record';

const TASK_ID = '7f9d4a52-0c1e-4f3a-9b1d-2a6c8e0f4b11';
const ACCOUNT = '123456789012';
const ROLE = 'arn:aws:iam::123456789012:role/export';

const COLUMNS: ColumnPlan[] = [BIGINT_ID_COLUMN];

const REQUEST: PartitionRequest = {
  eventId: `PartitionRequested:${TASK_ID}:3:2`,
  taskId: TASK_ID,
  accountId: ACCOUNT,
  exportTaskIdentifier: 'daily',
  occurredAt: '2024-05-01T00:00:00.000Z',
  table: { tableIndex: 3, database: 'app', schema: 'public', table: 'orders' },
  partitionIndex: 2,
  columns: COLUMNS,
  range: null,
  readPoint: {
    engine: 'postgres',
    sourceName: 'main',
    database: 'app',
    snapshotId: '00000003-0000001B-1',
    scratchServer: null,
  },
  destination: {
    bucket: 'exports-bucket',
    iamRoleArn: ROLE,
    kmsKeyId: 'arn:aws:kms:us-east-1:123456789012:key/k',
    sourceArn: 'arn:aws:rds:us-east-1:123456789012:cluster:main',
    partitionKeyPrefix: 'pre/daily/app/public.orders/2',
  },
};

const CONFIG = parseConfig({
  region: 'us-east-1',
  accounts: [{ id: ACCOUNT }],
  sources: [{ name: 'main', accountId: ACCOUNT, engine: 'postgres', url: 'postgresql://reader@db/app' }],
});

class RecordingPublisher {
  readonly events: { name: string; payload: Record<string, unknown> }[] = [];

  async publish(contract: EventContract, payload: unknown): Promise<void> {
    this.events.push({ name: contract.name, payload: payload as Record<string, unknown> });
  }

  names(): string[] {
    return this.events.map((event) => event.name);
  }

  payloadOf(name: string): Record<string, unknown> {
    const found = this.events.find((event) => event.name === name);
    if (!found) throw new Error(`${name} was not published`);
    return found.payload;
  }
}

class FakeUpload implements PartUpload {
  readonly body = new PassThrough();
  readonly chunks: Buffer[] = [];
  aborted = false;
  private failure: PartUploadError | null = null;
  private readonly ended: Promise<void>;

  constructor(readonly target: PartTarget) {
    this.body.on('error', () => undefined);
    this.body.on('data', (chunk: Buffer) => this.chunks.push(chunk));
    this.ended = new Promise((resolve, reject) => {
      this.body.on('end', () => resolve());
      this.body.on('close', () => (this.failure ? reject(this.failure) : resolve()));
    });
    this.ended.catch(() => undefined);
  }

  failWith(cause: unknown): void {
    this.failure = new PartUploadError(this.target, cause);
    this.body.destroy(this.failure);
  }

  completed(): Promise<void> {
    return this.ended;
  }

  async settledFailure(): Promise<PartUploadError | null> {
    await this.ended.catch(() => undefined);
    return this.failure;
  }

  async abort(): Promise<void> {
    this.aborted = true;
    this.body.destroy();
  }
}

class FakeStorage implements PartStorage {
  readonly uploads: FakeUpload[] = [];
  /** Objects an earlier attempt left in the bucket. */
  readonly leftOver = new Set<string>();
  readonly removed: string[] = [];
  failFirstWriteWith: unknown = null;
  /** Footers of the objects an earlier attempt left, by key. */
  readonly footers = new Map<string, StoredFooter>();

  async footerOf(target: PartTarget): Promise<StoredFooter | null> {
    return this.footers.get(target.key) ?? null;
  }

  async removeIfPresent(target: PartTarget): Promise<boolean> {
    if (!this.leftOver.delete(target.key)) return false;
    this.removed.push(target.key);
    return true;
  }

  open(target: PartTarget): PartUpload {
    const upload = new FakeUpload(target);
    this.uploads.push(upload);
    if (this.failFirstWriteWith) upload.failWith(this.failFirstWriteWith);
    return upload;
  }
}

/** Writes one line per row to the body, waiting for the body to take it, like a real encoder. */
class LineEncoder implements PartEncoder {
  private rows = 0;
  private bytes = 0;
  /** The footer entries the file was closed with. */
  closedWith: FooterEntries | null = null;

  constructor(private readonly output: Writable) {}

  async write(rows: readonly PartRow[]): Promise<void> {
    for (const row of rows) {
      const line = Buffer.from(`${row.map(String).join(',')}\n`);
      await new Promise<void>((resolve, reject) =>
        this.output.write(line, (error) => (error ? reject(error) : resolve())),
      );
      this.rows++;
      this.bytes += line.length;
    }
  }

  stats(): PartStats {
    return { rows: this.rows, bytes: this.bytes };
  }

  async close(entries: FooterEntries = {}): Promise<PartStats> {
    this.closedWith = entries;
    await new Promise<void>((resolve, reject) =>
      this.output.end((error?: Error | null) => (error ? reject(error) : resolve())),
    );
    return this.stats();
  }
}

function keyOf(fileIndex: number): string {
  return partObjectKey(REQUEST.destination.partitionKeyPrefix, {
    taskId: TASK_ID,
    tableIndex: REQUEST.table.tableIndex,
    partitionIndex: REQUEST.partitionIndex,
    fileIndex,
  });
}

class FakeSource {
  returned = false;
  readRequest: PartitionReadRequest | null = null;
  failAfterBatches: { count: number; error: unknown } | null = null;
  /** After this many batches the database stops answering, for good. */
  stallAfterBatches: number | null = null;
  /** A value of each of these columns the engine writes as NULL. */
  nulledColumns: string[] = [];

  constructor(readonly batches: ExportRow[][]) {}

  engine(): DatabaseEngine {
    const real = engineFor('postgres');
    return {
      engine: 'postgres',
      hasSchemas: true,
      listDatabases: () => Promise.reject(new Error('not used')),
      pinReadPoint: () => Promise.reject(new Error('not used')),
      readPartition: (_source, request) => {
        this.readRequest = request;
        return this.rows();
      },
      classifyFailure: (error) => real.classifyFailure(error),
      refusalOf: (error) => real.refusalOf(error),
    };
  }

  private async *rows(): AsyncGenerator<ExportRow[]> {
    try {
      for (const column of this.nulledColumns) this.readRequest?.nulledValues?.add(column, 'NO_INSTANT');
      for (const [index, batch] of this.batches.entries()) {
        if (this.failAfterBatches?.count === index) throw this.failAfterBatches.error;
        if (this.stallAfterBatches === index) await new Promise(() => undefined);
        yield batch;
      }
    } finally {
      this.returned = true;
    }
  }
}

describe('ExportPartition after a crash between upload and acknowledgement', () => {
  it('does not export a partition the registry already has as EXPORTED', async () => {
    const { useCase, publisher, source } = setUp([[[1n]]], 'IN_PROGRESS', 'EXPORTED');
    await useCase.execute(REQUEST);
    expect(publisher.names()).toEqual([]);
    expect(source.readRequest).toBeNull();
  });

  it('reports the files an earlier attempt finished but never reported, without reading again', async () => {
    const { useCase, publisher, storage, source } = setUp([[[1n]]], 'IN_PROGRESS', 'STARTED');
    const earlier = [0, 1].map((fileIndex) => ({ key: keyOf(fileIndex), rows: 7 + fileIndex, bytes: 70 }));
    for (const [fileIndex, part] of earlier.entries()) {
      const entries = partitionRecordOf('earlier', fileIndex, fileIndex === 1 ? 2 : null);
      storage.footers.set(part.key, {
        key: part.key,
        bytes: part.bytes,
        footer: { rows: part.rows, entries: new Map(Object.entries(entries)) },
      });
    }
    // Left by an attempt before that one, which cut its files elsewhere.
    storage.leftOver.add(keyOf(2));
    await useCase.execute(REQUEST);

    expect(publisher.names()).toEqual(['PartitionExported']);
    expect(publisher.payloadOf('PartitionExported')).toMatchObject({
      rowCount: 15,
      bytes: 140,
      objects: earlier,
    });
    expect(source.readRequest).toBeNull();
    expect(storage.uploads).toEqual([]);
    expect(storage.removed).toEqual([keyOf(2)]);
  });

  it('reports the values the engine wrote as NULL, and records them in the last file for a later report', async () => {
    const { useCase, publisher, source, encoders } = setUp([[[1n]], [[2n]]], 'IN_PROGRESS', 'NOT_STARTED');
    source.nulledColumns = ['b', 'a', 'b'];
    await useCase.execute(REQUEST);

    const nulledValues = [
      { column: 'b', reason: 'NO_INSTANT', count: 2 },
      { column: 'a', reason: 'NO_INSTANT', count: 1 },
    ];
    expect(publisher.payloadOf('PartitionExported')).toMatchObject({ rowCount: 2, nulledValues });
    const last = encoders[encoders.length - 1].closedWith!;
    expect(JSON.parse(last[PARTITION_RECORD_KEYS.nulled])).toEqual(nulledValues);
  });

  it("reports the nulled values an earlier attempt recorded when it reports that attempt's files", async () => {
    const { useCase, publisher, storage } = setUp([[[1n]]], 'IN_PROGRESS', 'STARTED');
    const nulledValues = [{ column: 'c', reason: 'NO_INSTANT' as const, count: 4 }];
    const entries = partitionRecordOf('earlier', 0, 1, nulledValues);
    storage.footers.set(keyOf(0), {
      key: keyOf(0),
      bytes: 70,
      footer: { rows: 7, entries: new Map(Object.entries(entries)) },
    });
    await useCase.execute(REQUEST);
    expect(publisher.payloadOf('PartitionExported')).toMatchObject({ rowCount: 7, nulledValues });
  });

  it('records in the footer of every file its index and attempt, and in the last the file count', async () => {
    const config = { ...CONFIG, extractor: { ...CONFIG.extractor, fileTargetBytes: 1024 } };
    // Each batch fills a file: the last one too, which must still be closed as the last.
    const rows = (from: number) => Array.from({ length: 250 }, (_, index) => [BigInt(from + index)]);
    const { useCase, encoders } = setUp(
      [rows(1000), rows(2000), rows(3000)],
      'IN_PROGRESS',
      'NOT_STARTED',
      config,
    );
    await useCase.execute(REQUEST);

    const records = encoders.map((encoder) => encoder.closedWith!);
    const attempt = records[0][PARTITION_RECORD_KEYS.attempt];
    expect(attempt).toMatch(/^[0-9a-f-]{36}$/);
    expect(records).toEqual([
      partitionRecordOf(attempt, 0, null),
      partitionRecordOf(attempt, 1, null),
      partitionRecordOf(attempt, 2, 3),
    ]);
  });
});

function setUp(
  batches: ExportRow[][],
  status: ExportTaskStatus = 'IN_PROGRESS',
  partitionStatus: 'NOT_STARTED' | 'STARTED' | 'EXPORTED' = 'NOT_STARTED',
  config = CONFIG,
) {
  const publisher = new RecordingPublisher();
  const storage = new FakeStorage();
  const stopped = new StoppedTasks();
  const source = new FakeSource(batches);
  const statuses: ExportTaskStatus[] = [status];
  const table = { skipped: false };
  const nextStatus = () => (statuses.length > 1 ? statuses.shift()! : statuses[0]);
  const rpc = {
    call: async (contract: { subject: string }) =>
      contract.subject === GetPartitionStateRpc.subject
        ? { taskStatus: nextStatus(), partitionStatus, tableSkipped: table.skipped }
        : { status: nextStatus() },
  };
  const encoders: LineEncoder[] = [];
  const openLineEncoder: OpenPartEncoder = async (_columns, output) => {
    encoders.push(new LineEncoder(output));
    return encoders.at(-1)!;
  };
  const useCase = new ExportPartition(
    config,
    pino({ level: 'silent' }),
    publisher as unknown as EventPublisher,
    rpc as unknown as RpcClient,
    stopped,
    () => source.engine(),
    storage,
    openLineEncoder,
  );
  return { useCase, publisher, storage, stopped, source, statuses, table, encoders };
}

function awsError(name: string, httpStatusCode: number): Error {
  return Object.assign(new Error(name), { name, $metadata: { httpStatusCode } });
}

describe('ExportPartition', () => {
  it('gives a partition whose database stops answering up, to be retried, naming the stall', async () => {
    const config = { ...CONFIG, extractor: { ...CONFIG.extractor, stallTimeoutSeconds: 1 } };
    const { useCase, publisher, storage, source } = setUp(
      [[[1n]], [[2n]]],
      'IN_PROGRESS',
      'NOT_STARTED',
      config,
    );
    source.stallAfterBatches = 1;

    const failure = await useCase.execute(REQUEST).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(RetryableError);
    expect((failure as RetryableError).failureCause).toBe(
      StallMessages.partitionStalled('app.public.orders', 1, 'database'),
    );
    expect(storage.uploads.map((upload) => upload.aborted)).toEqual([true]);
    expect(publisher.names()).toEqual(['PartitionStarted']);
  });

  it('rolls over to a new part file once the current one reaches the target size', async () => {
    const config = { ...CONFIG, extractor: { ...CONFIG.extractor, fileTargetBytes: 1024 } };
    const rows = (from: number) => Array.from({ length: 250 }, (_, index) => [BigInt(from + index)]);
    const { useCase, publisher, storage } = setUp(
      [rows(1000), rows(2000), rows(3000)],
      'IN_PROGRESS',
      'NOT_STARTED',
      config,
    );
    await useCase.execute(REQUEST);

    const keys = storage.uploads.map((upload) => upload.target.key);
    expect(keys.map((key) => key.split('/').pop()!.slice(0, 10))).toEqual([
      'part-00000',
      'part-00001',
      'part-00002',
    ]);
    expect(new Set(keys).size).toBe(3);
    const exported = publisher.payloadOf('PartitionExported') as {
      rowCount: number;
      objects: { key: string; rows: number }[];
    };
    expect(exported.rowCount).toBe(750);
    expect(exported.objects.map((object) => object.key)).toEqual(keys);
    expect(exported.objects.reduce((sum, object) => sum + object.rows, 0)).toBe(750);
  });

  it('takes the codec and the file size the task asked for over the configured ones', async () => {
    const rows = (from: number) => Array.from({ length: 250 }, (_, index) => [BigInt(from + index)]);
    const { useCase, storage } = setUp([rows(1000), rows(2000)], 'IN_PROGRESS', 'NOT_STARTED');
    await useCase.execute({
      ...REQUEST,
      output: { compression: { codec: 'gzip', level: 9 }, fileTargetBytes: 1024 },
    });
    const names = storage.uploads.map((upload) => upload.target.key.split('/').pop()!);
    expect(names.map((name) => name.slice(0, 10))).toEqual(['part-00000', 'part-00001']);
    expect(names.every((name) => name.endsWith('-c000.gz.parquet'))).toBe(true);
  });

  it('on a retry, removes files an earlier attempt wrote beyond this attempt’s last one', async () => {
    const { useCase, storage } = setUp([[[1n], [2n]]], 'IN_PROGRESS', 'STARTED');
    [0, 1, 2].forEach((fileIndex) => storage.leftOver.add(keyOf(fileIndex)));
    await useCase.execute(REQUEST);

    expect(storage.uploads.map((upload) => upload.target.key)).toEqual([keyOf(0)]);
    expect(storage.removed).toEqual([keyOf(1), keyOf(2)]);
  });

  it('streams every batch into one part object and reports it', async () => {
    const { useCase, publisher, storage, source } = setUp([[[1n], [2n]], [[3n]]]);
    await useCase.execute(REQUEST);

    expect(publisher.names()).toEqual(['PartitionStarted', 'PartitionExported']);
    expect(storage.uploads).toHaveLength(1);
    const [upload] = storage.uploads;
    expect(upload.target).toMatchObject({
      bucket: 'exports-bucket',
      role: {
        roleArn: ROLE,
        callerAccountId: REQUEST.accountId,
        sourceArn: REQUEST.destination.sourceArn,
      },
      kmsKeyId: REQUEST.destination.kmsKeyId,
    });
    expect(upload.target.key).toMatch(
      /^pre\/daily\/app\/public\.orders\/2\/part-00000-[0-9a-f-]{36}-c000\.gz\.parquet$/,
    );
    expect(Buffer.concat(upload.chunks).toString()).toBe('1\n2\n3\n');
    expect(publisher.payloadOf('PartitionExported')).toMatchObject({
      eventId: `PartitionExported:${TASK_ID}:3:2`,
      rowCount: 3,
      bytes: 6,
      objects: [{ key: upload.target.key, bytes: 6, rows: 3 }],
    });
    expect(source.readRequest).toMatchObject({
      database: 'app',
      snapshotId: '00000003-0000001B-1',
      schema: 'public',
      table: 'orders',
      batchRows: CONFIG.extractor.batchRows,
    });
  });

  it('writes no object for an empty partition', async () => {
    const { useCase, publisher, storage } = setUp([[]]);
    await useCase.execute(REQUEST);
    expect(storage.uploads).toHaveLength(0);
    expect(publisher.payloadOf('PartitionExported')).toMatchObject({ rowCount: 0, bytes: 0, objects: [] });
  });

  it.each([
    ['CANCELING', 'CANCELED'],
    ['CANCELED', 'CANCELED'],
    ['FAILED', 'TASK_ENDED'],
    ['COMPLETE', 'TASK_ENDED'],
  ] as const)('abandons the partition of a task that is %s without reading it', async (status, reason) => {
    const { useCase, publisher, source } = setUp([[[1n]]], status);
    await useCase.execute(REQUEST);
    expect(publisher.names()).toEqual(['PartitionAbandoned']);
    expect(publisher.payloadOf('PartitionAbandoned')).toMatchObject({ reason, partitionIndex: 2 });
    expect(source.readRequest).toBeNull();
  });

  it('stops between batches once the task is stopped, leaving nothing in the bucket', async () => {
    const { useCase, publisher, storage, stopped, source, statuses } = setUp([[[1n]], [[2n]], [[3n]]]);
    statuses.push('IN_PROGRESS', 'CANCELING');
    const write = LineEncoder.prototype.write;
    jest.spyOn(LineEncoder.prototype, 'write').mockImplementation(async function (this: LineEncoder, rows) {
      await write.call(this, rows);
      stopped.add(TASK_ID);
    });
    try {
      await useCase.execute(REQUEST);
    } finally {
      jest.restoreAllMocks();
    }
    expect(publisher.names()).toEqual(['PartitionStarted', 'PartitionAbandoned']);
    expect(publisher.payloadOf('PartitionAbandoned')).toMatchObject({ reason: 'CANCELED' });
    expect(storage.uploads[0].aborted).toBe(true);
    expect(source.returned).toBe(true);
  });

  it('fails the task with the seed message when the role may not write to the bucket', async () => {
    const { useCase, publisher, storage, stopped } = setUp([[[1n]]]);
    storage.failFirstWriteWith = awsError('AccessDenied', 403);
    await expect(useCase.execute(REQUEST)).resolves.toBeUndefined();
    expect(publisher.names()).toEqual(['PartitionStarted', 'TaskFailed']);
    expect(publisher.payloadOf('TaskFailed')).toMatchObject({
      stage: 'EXTRACTION',
      failureCause: FailureMessages.roleNotAuthorized(ROLE, 's3:PutObject', 'exports-bucket'),
    });
    expect(stopped.has(TASK_ID)).toBe(true);
  });

  it('retries the partition when S3 is unavailable', async () => {
    const { useCase, publisher, storage } = setUp([[[1n]]]);
    storage.failFirstWriteWith = awsError('ServiceUnavailable', 503);
    await expect(useCase.execute(REQUEST)).rejects.toBeInstanceOf(RetryableError);
    expect(publisher.names()).toEqual(['PartitionStarted']);
  });

  it('retries the partition when the source drops the connection, discarding the half-written object', async () => {
    const { useCase, storage, source } = setUp([[[1n]], [[2n]]]);
    source.failAfterBatches = { count: 1, error: Object.assign(new Error('reset'), { code: 'ECONNRESET' }) };
    await expect(useCase.execute(REQUEST)).rejects.toBeInstanceOf(RetryableError);
    expect(storage.uploads[0].aborted).toBe(true);
  });

  it('fails the task naming the table when the source refuses the read', async () => {
    const { useCase, publisher, source } = setUp([[[1n]]]);
    source.failAfterBatches = {
      count: 0,
      error: Object.assign(new Error('permission denied'), { code: '42501' }),
    };
    await useCase.execute(REQUEST);
    expect(publisher.payloadOf('TaskFailed')).toMatchObject({
      eventId: `TaskFailed:${TASK_ID}:EXTRACTION:3:2`,
      failureCause: SourceFailureMessages.tableDenied(tableTarget(REQUEST.table)),
    });
  });

  it('skips the table when a row is too large, keeping nothing of the partition', async () => {
    const { useCase, publisher, storage, source } = setUp([[[1n]], [[2n]]]);
    source.failAfterBatches = { count: 1, error: new RowTooLargeError(3000, 2048) };
    await useCase.execute(REQUEST);
    expect(storage.uploads[0].aborted).toBe(true);
    expect(publisher.names()).toEqual(['PartitionStarted', 'TableSkipped']);
    expect(publisher.payloadOf('TableSkipped')).toMatchObject({
      eventId: `TableSkipped:${TASK_ID}:3`,
      target: 'app.public.orders',
      reason: 'ROW_SIZE_LIMIT_EXCEEDED',
    });
  });

  it('removes the files the partition completed before the row that skips the table', async () => {
    const config = { ...CONFIG, extractor: { ...CONFIG.extractor, fileTargetBytes: 1024 } };
    const rows = Array.from({ length: 250 }, (_, index) => [BigInt(1000 + index)]);
    const { useCase, publisher, storage, source } = setUp(
      [rows, rows, rows],
      'IN_PROGRESS',
      'NOT_STARTED',
      config,
    );
    source.failAfterBatches = { count: 2, error: new RowTooLargeError(3000, 2048) };
    // The first batch filled part-00000, completed when the second came; it is in the bucket when the row comes.
    storage.leftOver.add(keyOf(0));
    await useCase.execute(REQUEST);
    expect(storage.uploads.map((upload) => upload.target.key)).toEqual([keyOf(0), keyOf(1)]);
    expect(storage.uploads.map((upload) => upload.aborted)).toEqual([false, true]);
    expect(storage.removed).toEqual([keyOf(0)]);
    expect(publisher.names()).toEqual(['PartitionStarted', 'TableSkipped']);
  });

  it('fails the task when a value is too large', async () => {
    const { useCase, publisher, source } = setUp([[[1n]]]);
    source.failAfterBatches = { count: 0, error: new ValueTooLargeError('id', 600, 512) };
    await useCase.execute(REQUEST);
    expect(publisher.payloadOf('TaskFailed')).toMatchObject({
      failureCause: SizeLimitMessages.valueTooLarge('app.public.orders', 'id', 600),
    });
  });

  it('does not read a partition of a table skipped meanwhile', async () => {
    const { useCase, publisher, source, table } = setUp([[[1n]]]);
    table.skipped = true;
    await useCase.execute(REQUEST);
    expect(publisher.names()).toEqual([]);
    expect(source.readRequest).toBeNull();
  });

  it('refuses a partition of a source it does not know', async () => {
    const { useCase } = setUp([[[1n]]]);
    const request = { ...REQUEST, readPoint: { ...REQUEST.readPoint, sourceName: 'elsewhere' } };
    await expect(useCase.execute(request)).rejects.toBeInstanceOf(PermanentError);
  });

  it('hands the partition back when the process shuts down', async () => {
    const { useCase, publisher, storage } = setUp([[[1n]], [[2n]]]);
    useCase.beforeApplicationShutdown();
    await expect(useCase.execute(REQUEST)).rejects.toBeInstanceOf(RetryableError);
    expect(publisher.names()).toEqual(['PartitionStarted']);
    expect(storage.uploads).toHaveLength(0);
  });
});
