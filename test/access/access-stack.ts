import { readFileSync } from 'node:fs';
import { S3Client } from '@aws-sdk/client-s3';
import { connect } from 'nats';
import { pgUrl } from '../../scripts/local-stack/databases';
import {
  adminClients,
  ensureServiceIdentity,
  ExportTarget,
  serviceCredentialsOf,
} from '../../scripts/local-stack/export-target';
import { MotoServer, startMoto } from '../../scripts/local-stack/moto';
import { listObjects } from '../../scripts/local-stack/readback';
import { NATS_URL, ServiceName, Stack, StackSource } from '../../scripts/local-stack/stack';

/**
 * The seven services against a moto of the suite's own, whose endpoint the suite knows before the
 * services start, so the whole `aws` section of their configuration is the suite's to set.
 */
export interface AccessStack {
  stack: Stack;
  moto: MotoServer;
  s3: S3Client;
  stop(): Promise<void>;
}

export async function startAccessStack(options: {
  name: string;
  sources: StackSource[];
  aws?: Record<string, unknown>;
  config?: Record<string, unknown>;
  /** What the services are given of the access key moto issued them (all of it by default). */
  serviceCredentials?: (issued: ExportTarget['service']) => ExportTarget['service'];
}): Promise<AccessStack> {
  const moto = await startMoto();
  let stack: Stack | undefined;
  try {
    const issued = await ensureServiceIdentity(moto);
    const service = options.serviceCredentials ? options.serviceCredentials(issued) : issued;
    stack = await Stack.start({
      name: options.name,
      sources: options.sources,
      config: {
        aws: {
          endpoint: moto.endpoint,
          forcePathStyle: true,
          serviceCredentials: serviceCredentialsOf(service),
          ...options.aws,
        },
        registry: {
          databaseUrl: pgUrl(`snapex_registry_${options.name.replace(/-/g, '_')}`),
          maxActiveTasksPerAccount: 50,
        },
        ...options.config,
      },
    });
  } catch (error) {
    await moto.stop();
    throw error;
  }
  const running = stack;
  return {
    stack: running,
    moto,
    s3: adminClients(moto).s3,
    stop: async () => {
      await running.stop();
      await moto.stop();
    },
  };
}

export interface ExportRequest {
  identifier: string;
  sourceArn: string;
  target: Pick<ExportTarget, 'bucket' | 'roleArn' | 'kmsKeyArn'>;
  prefix?: string;
}

export async function startExport(stack: Stack, request: ExportRequest): Promise<void> {
  const started = await stack.api('/v1/StartExportTask', {
    ExportTaskIdentifier: request.identifier,
    SourceArn: request.sourceArn,
    S3BucketName: request.target.bucket,
    IamRoleArn: request.target.roleArn,
    KmsKeyId: request.target.kmsKeyArn,
    ...(request.prefix ? { S3Prefix: request.prefix } : {}),
  });
  if (started.status !== 200) {
    throw new Error(`StartExportTask answered ${started.status}: ${JSON.stringify(started.body)}`);
  }
}

/** Every object of the bucket under the export's folder; none when the bucket does not exist. */
export async function objectKeysOf(s3: S3Client, bucket: string, identifier: string): Promise<string[]> {
  try {
    return (await listObjects(s3, bucket, `${identifier}/`)).map((object) => object.key);
  } catch (error) {
    if ((error as { name?: string }).name === 'NoSuchBucket') return [];
    throw error;
  }
}

export function parquetKeys(keys: string[]): string[] {
  return keys.filter((key) => key.endsWith('.gz.parquet'));
}

/** The subjects of every event published so far for the task, in order (from the SNAPEX_EVENTS stream). */
export async function publishedSubjects(identifier: string): Promise<string[]> {
  const connection = await connect({ servers: NATS_URL });
  try {
    const manager = await connection.jetstreamManager();
    const { state } = await manager.streams.info('SNAPEX_EVENTS');
    const subjects: string[] = [];
    for (let seq = state.first_seq; seq <= state.last_seq; seq++) {
      const message = await manager.streams.getMessage('SNAPEX_EVENTS', { seq }).catch(() => null);
      if (message && message.json<{ exportTaskIdentifier?: string }>().exportTaskIdentifier === identifier) {
        subjects.push(message.subject);
      }
    }
    return subjects;
  } finally {
    await connection.close();
  }
}

/** Waits until the event has been published for the task. */
export async function waitForEvent(subject: string, identifier: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if ((await publishedSubjects(identifier)).includes(subject)) return;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`no ${subject} for ${identifier} within ${timeoutMs} ms`);
}

/** Stops a service's process; the events it would consume wait in JetStream until it runs again. */
export async function pauseService(stack: Stack, service: ServiceName): Promise<void> {
  for (const running of stack.services.filter((candidate) => candidate.name === `${service}-0`)) {
    await stack.stopService(running);
  }
}

export async function resumeService(stack: Stack, service: ServiceName): Promise<void> {
  await stack.startService(service, 0);
}

/** Service logs, for a failed test's report. */
export function dumpLogs(stack: Stack): void {
  for (const service of stack.services) {
    const text = readFileSync(service.logFile, 'utf8');
    process.stderr.write(`--- ${service.name}\n${text.slice(-4000)}\n`);
  }
}
