import { CreateBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { AwsClients } from '@snapex/aws';
import { DatabaseDump, SnapshotSource, TaskSpec } from '@snapex/contracts';
import { spawnSync } from 'node:child_process';
import { gzipSync } from 'node:zlib';
import { adminClients } from '../../scripts/local-stack/export-target';
export { createSnapshotStore } from '../../scripts/local-stack/export-target';
import { MOTO_ACCOUNT, MOTO_REGION, startMoto } from '../../scripts/local-stack/moto';
import { DumpFiles } from '../../apps/restorer/src/restore/dump-files';
import { S3SnapshotStore } from '../../apps/restorer/src/restore/snapshot-store';
import { motoConfig } from '../support/fixtures';

/** Runs a dump program and returns its output; the password, if any, stays in the URL's user info. */
export function runDump(program: string, args: string[], env: Record<string, string> = {}): Buffer {
  const result = spawnSync(program, args, {
    env: { ...process.env, ...env },
    maxBuffer: 1024 ** 3,
  });
  if (result.status !== 0) throw new Error(`${program} failed: ${result.stderr.toString()}`);
  return result.stdout;
}

/** `pg_dump --format=custom` of a local database, as the snapshot jobs write it. */
export function pgCustomDump(database: string): Buffer {
  return runDump('pg_dump', ['--format=custom', '-h', '127.0.0.1', '-U', 'postgres', database]);
}

/** A single-database `mariadb-dump --single-transaction` without CREATE DATABASE/USE, gzip-compressed. */
export function mysqlSqlDumpGz(database: string): Buffer {
  return gzipSync(
    runDump('mariadb-dump', [
      '--host=127.0.0.1',
      '--user=root',
      '--protocol=TCP',
      '--single-transaction',
      '--hex-blob',
      database,
    ]),
  );
}

export async function putDump(
  s3: S3Client,
  bucket: string,
  dump: Omit<DatabaseDump, 'bytes'>,
  body: Buffer,
): Promise<DatabaseDump> {
  await s3.send(new PutObjectCommand({ Bucket: bucket, Key: dump.key, Body: body }));
  return { ...dump, bytes: body.length };
}

export function snapshotSource(
  name: string,
  bucket: string,
  dumps: DatabaseDump[],
  snapshotTime: Date,
  engine: SnapshotSource['engine'] = 'postgres',
): SnapshotSource {
  return {
    snapshotArn: `arn:aws:rds:${MOTO_REGION}:${MOTO_ACCOUNT}:snapshot:${name}`,
    snapshotIdentifier: name,
    kind: 'db-snapshot',
    engine,
    snapshotTime: snapshotTime.toISOString(),
    archive: { bucket, dumps },
  };
}

/** The spec the registry would send for a snapshot task, carrying the snapshot to restore. */
export function snapshotTaskSpec(
  task: { taskId: string; accountId: string; exportTaskIdentifier: string },
  target: { bucket: string; roleArn: string; kmsKeyArn: string },
  snapshot: SnapshotSource,
  sourceName: string,
): TaskSpec {
  return {
    ...task,
    sourceArn: snapshot.snapshotArn,
    sourceType: 'SNAPSHOT',
    sourceName,
    engine: snapshot.engine,
    s3Bucket: target.bucket,
    s3Prefix: '',
    iamRoleArn: target.roleArn,
    kmsKeyId: target.kmsKeyArn,
    exportOnly: [],
    snapshot,
  };
}

/** moto with a snapshot store bucket, and the restorer's own store reading it, for engine-level tests. */
export async function startLocalSnapshotStore(bucket: string) {
  const moto = await startMoto();
  const { s3 } = adminClients(moto);
  await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  const config = motoConfig(moto, moto.admin);
  const store = new S3SnapshotStore(config, new AwsClients(config));
  return {
    s3,
    files: new DumpFiles(store, bucket),
    async stop() {
      store.onApplicationShutdown();
      s3.destroy();
      await moto.stop();
    },
  };
}
