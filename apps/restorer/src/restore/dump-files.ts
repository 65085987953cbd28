import { DatabaseDump } from '@snapex/contracts';
import { createWriteStream } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { pipeline as pipelineCallback, Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import { SnapshotStore } from './snapshot-store';

/** A directory dump without a single file: the archive is missing or empty. */
export class EmptyDumpError extends Error {
  constructor(bucket: string, prefix: string) {
    super(`no dump files under s3://${bucket}/${prefix}`);
    this.name = 'EmptyDumpError';
  }
}

function isGzip(key: string): boolean {
  return key.endsWith('.gz');
}

/** The dumps of one snapshot archive, as a stream or as files on local disk. */
export class DumpFiles {
  constructor(
    private readonly store: SnapshotStore,
    private readonly bucket: string,
  ) {}

  /** The dump's SQL as a stream, decompressed when its key ends in `.gz`. */
  async stream(dump: DatabaseDump, signal: AbortSignal): Promise<Readable> {
    const body = await this.store.read(this.bucket, dump.key, signal);
    if (!isGzip(dump.key)) return body;
    // pipeline, not pipe: a read that fails mid-object must fail the gunzip stream the restore reads.
    const gunzip = createGunzip();
    pipelineCallback(body, gunzip, () => undefined);
    return gunzip;
  }

  /** One dump file, decompressed, in `dir`; pg_restore --jobs needs a file it can seek in. */
  async downloadFile(dump: DatabaseDump, dir: string, signal: AbortSignal): Promise<string> {
    const path = join(dir, 'dump');
    await pipeline(await this.stream(dump, signal), createWriteStream(path), { signal });
    return path;
  }

  /** A directory dump's tree under `dir`, files as stored (pg_dump compresses its own data files). */
  async downloadTree(dump: DatabaseDump, dir: string, signal: AbortSignal): Promise<string> {
    const root = join(dir, 'dump');
    const folder = dump.key.replace(/\/+$/, '');
    const prefix = `${folder}/`;
    const keys = (await this.store.list(this.bucket, folder, signal)).filter((key) => key.startsWith(prefix));
    if (keys.length === 0) throw new EmptyDumpError(this.bucket, prefix);
    for (const key of keys) {
      const path = join(root, relative(prefix, key));
      if (relative(root, path).startsWith('..')) throw new Error(`object ${key} lies outside its dump`);
      await mkdir(dirname(path), { recursive: true });
      await pipeline(await this.store.read(this.bucket, key, signal), createWriteStream(path), { signal });
    }
    return root;
  }
}

/** A private temporary folder for one restore, removed afterwards whatever happens. */
export async function withWorkspace<T>(work: (dir: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), 'snapex-restore-'));
  try {
    return await work(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
