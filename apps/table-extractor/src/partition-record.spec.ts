import { PassThrough } from 'node:stream';
import { ColumnPlan } from '@snapex/contracts';
import { openParquetPart, readFooter } from '@snapex/parquet';
import { PartFile, StoredPart } from './part-file';
import { PartSeries } from './part-series';
import { PartStorage, PartTarget, PartUpload, PartUploadError } from './part-upload';
import { finishedFiles, PARTITION_RECORD_KEYS, StoredFooter } from './partition-record';

const COLUMN = {
  originalCharMaxLength: 0,
  originalNumPrecision: 0,
  originalDateTimePrecision: 0,
};
const COLUMNS: ColumnPlan[] = [
  {
    ...COLUMN,
    name: 'id',
    originalType: 'bigint',
    decoder: 'int8',
    parquetType: 'INT64',
    expectedExportedType: 'int64',
  },
  {
    ...COLUMN,
    name: 'label',
    originalType: 'text',
    decoder: 'text',
    parquetType: 'STRING',
    expectedExportedType: 'string',
  },
];

/** An object that, as on S3, is in the bucket only once its upload completed. */
class MemoryUpload implements PartUpload {
  readonly body = new PassThrough();
  private readonly stored: Promise<void>;

  constructor(target: PartTarget, objects: Map<string, Buffer>) {
    const chunks: Buffer[] = [];
    this.body.on('data', (chunk: Buffer) => chunks.push(chunk));
    this.stored = new Promise((resolve, reject) => {
      this.body.on('end', () => resolve(void objects.set(target.key, Buffer.concat(chunks))));
      this.body.on('error', reject);
    });
    this.stored.catch(() => undefined);
  }

  completed(): Promise<void> {
    return this.stored;
  }

  async settledFailure(): Promise<PartUploadError | null> {
    return null;
  }

  async abort(): Promise<void> {
    this.body.destroy();
  }
}

class MemoryStorage implements PartStorage {
  readonly objects = new Map<string, Buffer>();

  open(target: PartTarget): PartUpload {
    return new MemoryUpload(target, this.objects);
  }

  async removeIfPresent(target: PartTarget): Promise<boolean> {
    return this.objects.delete(target.key);
  }

  async footerOf(target: PartTarget): Promise<StoredFooter | null> {
    const file = this.objects.get(target.key);
    if (!file) return null;
    const footer = await readFooter(async (bytes) => file.subarray(Math.max(0, file.length - bytes)));
    return { key: target.key, bytes: file.length, footer };
  }
}

function targetOf(fileIndex: number): PartTarget {
  return {
    bucket: 'exports',
    key: `pre/part-${String(fileIndex).padStart(5, '0')}.gz.parquet`,
    role: { roleArn: 'arn:aws:iam::123456789012:role/export', callerAccountId: '123456789012' },
    kmsKeyId: 'key',
  } as PartTarget;
}

const watch = { signal: new AbortController().signal, progressed: () => undefined };

/**
 * One attempt at the partition's 1,200 rows in batches of `batchRows`, each of which fills a file;
 * `diesAfterBatches` stops it there, as a kill would: the files completed so far stay.
 */
async function attempt(
  storage: MemoryStorage,
  batchRows: number,
  diesAfterBatches = Infinity,
): Promise<StoredPart[] | null> {
  const series = new PartSeries(
    (fileIndex) =>
      new PartFile(storage, openParquetPart, targetOf(fileIndex), COLUMNS, { rowGroupRows: 100 }, watch),
    1,
  );
  for (let from = 0, batches = 0; from < 1200; from += batchRows, batches++) {
    if (batches === diesAfterBatches) {
      await series.discard();
      return null;
    }
    const rows = Array.from({ length: batchRows }, (_, index) => [
      BigInt(from + index),
      `row ${from + index}`,
    ]);
    await series.append(rows);
  }
  return series.finish();
}

async function check(storage: MemoryStorage): Promise<StoredPart[] | null> {
  return (await finishedFiles((fileIndex) => storage.footerOf(targetOf(fileIndex))))?.parts ?? null;
}

describe('a partition finished by an earlier attempt, as its part files’ footers record it', () => {
  it('is every file of one attempt, with the object sizes and the footers’ row counts', async () => {
    const storage = new MemoryStorage();
    const written = await attempt(storage, 400);
    expect(written).toHaveLength(3);
    expect(await check(storage)).toEqual(written);
    expect((await check(storage))!.map((part) => part.rows)).toEqual([400, 400, 400]);
  });

  it('is not one whose attempt died before its last file', async () => {
    const storage = new MemoryStorage();
    await attempt(storage, 400, 2);
    expect(storage.objects.size).toBe(1);
    expect(await check(storage)).toBeNull();
  });

  it('is not the first files of a later attempt in front of a finished one’s last files', async () => {
    const storage = new MemoryStorage();
    await attempt(storage, 300);
    // The later attempt cuts its files at the same rows and dies before its third.
    await attempt(storage, 300, 3);
    const attempts = await Promise.all(
      [0, 1, 2].map(async (fileIndex) => {
        const stored = await storage.footerOf(targetOf(fileIndex));
        return stored!.footer.entries.get(PARTITION_RECORD_KEYS.attempt);
      }),
    );
    expect(attempts[0]).toBe(attempts[1]);
    expect(attempts[2]).not.toBe(attempts[1]);
    expect(await check(storage)).toBeNull();
  });

  it('is a later attempt’s files that end before an earlier attempt’s stale tail', async () => {
    for (const earlierDiesAfter of [3, Infinity]) {
      const storage = new MemoryStorage();
      // The earlier attempt wrote four files, the last of which carries a count of its own when it finished.
      await attempt(storage, 300, earlierDiesAfter);
      const written = await attempt(storage, 600);
      expect(written).toHaveLength(2);
      expect(await check(storage)).toEqual(written);
      expect(storage.objects.size).toBe(Number.isFinite(earlierDiesAfter) ? 2 : 4);
    }
  });

  it('carries the values its rows have as NULL, recorded on the file it ended in', async () => {
    const storage = new MemoryStorage();
    const series = new PartSeries(
      (fileIndex) =>
        new PartFile(storage, openParquetPart, targetOf(fileIndex), COLUMNS, { rowGroupRows: 100 }, watch),
      1,
    );
    await series.append([[1n, 'one']]);
    await series.append([[2n, 'two']]);
    const nulledValues = [{ column: 'name', reason: 'NO_INSTANT' as const, count: 3 }];
    const parts = await series.finish(nulledValues);
    expect(await finishedFiles((fileIndex) => storage.footerOf(targetOf(fileIndex)))).toEqual({
      parts,
      nulledValues,
    });
    const first = await storage.footerOf(targetOf(0));
    expect(first!.footer.entries.has(PARTITION_RECORD_KEYS.nulled)).toBe(false);
  });

  it('is not one with a file that carries no record', async () => {
    const storage = new MemoryStorage();
    await attempt(storage, 1200);
    const file = new PartFile(storage, openParquetPart, targetOf(0), COLUMNS, { rowGroupRows: 100 }, watch);
    await file.append([[1n, 'one']]);
    await file.finish({});
    expect(await check(storage)).toBeNull();
  });
});
