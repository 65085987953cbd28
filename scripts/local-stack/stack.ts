import { ChildProcess, spawn } from 'node:child_process';
import {
  rmSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  writeFileSync,
  createWriteStream,
  existsSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { SERVICE_NAMES, ServiceName } from '@snapex/config';
import { connect } from 'nats';
import { stringify } from 'yaml';
import { PG_ADMIN_URL, recreateDatabase } from './databases';
import { MY_ADMIN_URL } from './mariadb';
import { createExportTarget, createSnapshotStore, ExportTarget, serviceCredentialsOf } from './export-target';
export { adminClients } from './export-target';
import { freePort, MOTO_ACCOUNT, MOTO_REGION, MotoServer, startMoto } from './moto';

export const SERVICES = SERVICE_NAMES;
export type { ServiceName };

/** The checkout's root, found from here whether running from sources or from dist/. */
export const REPO_ROOT = findRepoRoot(__dirname);

function findRepoRoot(start: string): string {
  let dir = start;
  while (!existsSync(join(dir, 'nest-cli.json'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`no nest-cli.json above ${start}`);
    dir = parent;
  }
  return dir;
}
export const API_KEY = 'e2e-api-key-account-one-0001';
export const OTHER_ACCOUNT = '210987654321';
export const OTHER_API_KEY = 'e2e-api-key-account-two-0002';
export const NATS_URL = process.env.SNAPEX_TEST_NATS_URL ?? 'nats://127.0.0.1:4222';

export interface StackSource {
  name: string;
  url: string;
  databases?: string[];
  engine?: 'postgres' | 'mysql';
  /** The snapex account the source is registered for; the stack's own (moto's) account when absent. */
  accountId?: string;
}

export interface StackOptions {
  name: string;
  sources: StackSource[];
  /** Overrides merged into the generated configuration. */
  config?: Record<string, unknown>;
  /** How many table-extractor processes to run. */
  extractors?: number;
  /** Folder for the configuration and service logs; a temporary one when absent. */
  workDir?: string;
  gatewayPort?: number;
  /** Passed to moto: false turns its signature and IAM checks off (see MotoOptions). */
  enforceAuth?: boolean;
  /** A NATS server of the stack's own; the shared one (SNAPEX_TEST_NATS_URL) when absent. */
  natsUrl?: string;
  /** Further `nats` settings of the services (replicas, user and password, TLS). */
  nats?: { streamReplicas?: number; auth?: { user: string; password: string } };
  /** Where the services reach S3, given moto's endpoint (e.g. a proxy in front of it); moto itself when absent. */
  s3Endpoint?: (motoEndpoint: string) => Promise<string>;
}

interface RunningService {
  name: string;
  process: ChildProcess;
  logFile: string;
}

/** The seven services as separate Node processes, built from dist/, against moto, PostgreSQL and NATS. */
export class Stack {
  readonly services: RunningService[] = [];

  private constructor(
    readonly moto: MotoServer,
    readonly target: ExportTarget,
    readonly gatewayUrl: string,
    readonly configFile: string,
    readonly workDir: string,
  ) {}

  static async start(options: StackOptions): Promise<Stack> {
    assertBuilt();
    await resetStreams(options.natsUrl, options.nats?.auth);
    const moto = await startMoto({ enforceAuth: options.enforceAuth });
    const target = await createExportTarget(moto, options.name);
    await createSnapshotStore(moto, snapshotStoreOf(options));
    const registryUrl = await recreateDatabase(`snapex_registry_${options.name.replace(/-/g, '_')}`);
    const port = options.gatewayPort ?? (await freePort());
    const workDir = options.workDir
      ? ensureDir(options.workDir)
      : mkdtempSync(join(tmpdir(), `snapex-${options.name}-`));
    const configFile = join(workDir, 'snapex.yaml');
    const s3Endpoint = (await options.s3Endpoint?.(moto.endpoint)) ?? moto.endpoint;
    writeFileSync(configFile, stringify(stackConfig(options, moto, target, registryUrl, port, s3Endpoint)));
    const stack = new Stack(moto, target, `http://127.0.0.1:${port}`, configFile, workDir);
    try {
      for (const service of SERVICES) {
        const copies = service === 'table-extractor' ? (options.extractors ?? 1) : 1;
        for (let copy = 0; copy < copies; copy++) await stack.startService(service, copy);
      }
    } catch (error) {
      await stack.stop();
      throw error;
    }
    return stack;
  }

  async startService(service: ServiceName, copy = 0): Promise<RunningService> {
    const name = `${service}-${copy}`;
    // A restarted service logs to a file of its own, after the earlier ones.
    const generation = this.services.filter((running) => running.name === name).length;
    const logFile = join(this.workDir, generation === 0 ? `${name}.log` : `${name}.${generation}.log`);
    // A log left by an earlier run in the same folder already says "started".
    rmSync(logFile, { force: true });
    const entry = join(REPO_ROOT, 'dist', 'apps', service, 'src', 'main.js');
    const child = spawn(process.execPath, [entry], {
      env: { ...process.env, SNAPEX_CONFIG: this.configFile, NODE_NO_WARNINGS: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const log = createWriteStream(logFile);
    child.stdout?.pipe(log);
    child.stderr?.pipe(log);
    const running = { name, process: child, logFile };
    this.services.push(running);
    await waitForLog(running, /"msg":"[a-z-]+ (started|listening)"/);
    return running;
  }

  async stopService(running: RunningService, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
    if (running.process.exitCode !== null || running.process.signalCode !== null) return;
    await new Promise<void>((resolveExit) => {
      running.process.once('exit', () => resolveExit());
      running.process.kill(signal);
    });
  }

  /** Stops every service, then starts each again: a full restart, as an operator's redeploy does it. */
  async restartAll(signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
    const running = this.services.filter(
      (service) => service.process.exitCode === null && !service.process.signalCode,
    );
    await Promise.all(running.map((service) => this.stopService(service, signal)));
    for (const service of running) {
      const [, name, copy] = /^(.+)-(\d+)$/.exec(service.name)!;
      await this.startService(name as ServiceName, Number(copy));
    }
  }

  async stop(): Promise<void> {
    await Promise.all(this.services.map((service) => this.stopService(service)));
    await this.moto.stop();
  }

  logs(service: string): string {
    const running = [...this.services].reverse().find((candidate) => candidate.name.startsWith(service));
    return running && existsSync(running.logFile) ? readFileSync(running.logFile, 'utf8') : '';
  }

  /** Where a running service's operations listener (health, metrics) answers, from its log. */
  opsUrl(service: string): string {
    for (const line of this.logs(service).split('\n')) {
      if (!line.includes('operations listener ready')) continue;
      const { url } = JSON.parse(line) as { url: string };
      return url;
    }
    throw new Error(`${service} logged no operations listener`);
  }

  async api(path: string, body?: unknown, apiKey = API_KEY): Promise<{ status: number; body: any }> {
    const response = await fetch(`${this.gatewayUrl}${path}`, {
      method: body === undefined ? 'GET' : 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': apiKey },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : undefined };
  }

  clusterArn(name: string, account = MOTO_ACCOUNT): string {
    return `arn:aws:rds:${MOTO_REGION}:${account}:cluster:${name}`;
  }

  /**
   * Exports a registered cluster into the stack's bucket, with its role and key, and waits until the
   * task ends: the task as it ended.
   */
  async exportCluster(identifier: string, source: string, timeoutMs = 240_000): Promise<any> {
    await this.startExport(identifier, this.clusterArn(source));
    return this.waitForStatus(identifier, ['COMPLETE', 'FAILED', 'CANCELED'], timeoutMs);
  }

  /**
   * Starts an export of `sourceArn` into the stack's bucket with its role and key (`extra` adds or
   * overrides parameters): the task as StartExportTask answered it.
   */
  async startExport(
    identifier: string,
    sourceArn: string,
    extra: Record<string, unknown> = {},
  ): Promise<any> {
    const started = await this.api('/v1/StartExportTask', {
      ExportTaskIdentifier: identifier,
      SourceArn: sourceArn,
      S3BucketName: this.target.bucket,
      IamRoleArn: this.target.roleArn,
      KmsKeyId: this.target.kmsKeyArn,
      ...extra,
    });
    if (started.status !== 200) throw new Error(`StartExportTask refused: ${JSON.stringify(started.body)}`);
    return started.body;
  }

  /** Polls DescribeExportTasks until the task reaches one of the given statuses. */
  async waitForStatus(
    identifier: string,
    statuses: string[],
    timeoutMs = 180_000,
    apiKey = API_KEY,
  ): Promise<any> {
    const deadline = Date.now() + timeoutMs;
    let last: any;
    while (Date.now() < deadline) {
      const { body } = await this.api(
        '/v1/DescribeExportTasks',
        { ExportTaskIdentifier: identifier },
        apiKey,
      );
      last = body?.ExportTasks?.[0];
      if (last && statuses.includes(last.Status)) return last;
      await new Promise((resolveWait) => setTimeout(resolveWait, 250));
    }
    throw new Error(
      `task ${identifier} did not reach ${statuses.join('|')}; last seen ${JSON.stringify(last)}`,
    );
  }
}

function stackConfig(
  options: StackOptions,
  moto: MotoServer,
  target: ExportTarget,
  registryUrl: string,
  port: number,
  s3Endpoint: string,
) {
  return {
    region: MOTO_REGION,
    accounts: [
      { id: MOTO_ACCOUNT, apiKeys: [API_KEY] },
      { id: OTHER_ACCOUNT, apiKeys: [OTHER_API_KEY] },
    ],
    sources: options.sources.map((source) => ({
      name: source.name,
      accountId: source.accountId ?? MOTO_ACCOUNT,
      engine: source.engine ?? 'postgres',
      url: source.url,
      ...(source.databases ? { databases: source.databases } : {}),
    })),
    nats: { url: options.natsUrl ?? NATS_URL, ackWaitSeconds: 10, maxDeliver: 5, ...options.nats },
    registry: { databaseUrl: registryUrl },
    aws: {
      endpoint: moto.endpoint,
      endpoints: { s3: s3Endpoint },
      forcePathStyle: true,
      serviceCredentials: serviceCredentialsOf(target.service),
    },
    snapshotStore: { bucket: snapshotStoreOf(options), prefix: 'snapshots/' },
    // Snapshots are restored, and live MySQL sources cloned, into databases of the stack's own prefix.
    scratch: {
      servers: [
        { name: 'scratch-pg', engine: 'postgres', url: PG_ADMIN_URL },
        { name: 'scratch-my', engine: 'mysql', url: MY_ADMIN_URL },
      ],
      databasePrefix: scratchPrefixOf(options),
    },
    logging: { level: 'debug' },
    // Any free port: several services (and extractor copies) share the host.
    observability: { ports: Object.fromEntries(SERVICES.map((service) => [service, 0])) },
    ...options.config,
    // Gateway settings merge with the stack's own address.
    gateway: { host: '127.0.0.1', port, ...(options.config?.gateway as object | undefined) },
  };
}

/** The stack's own scratch databases: `sx_<stack name>_…`. */
export function scratchPrefixOf(options: Pick<StackOptions, 'name'>): string {
  return `sx_${options.name.replace(/-/g, '_')}_`;
}

/** The stack's own snapshot-store bucket. */
export function snapshotStoreOf(options: Pick<StackOptions, 'name'>): string {
  return `${options.name}-snapshots`;
}

function assertBuilt(): void {
  const entry = join(REPO_ROOT, 'dist', 'apps', 'api-gateway', 'src', 'main.js');
  if (!existsSync(entry))
    throw new Error(`services are not built (${entry} missing): run \`npm run build\` first`);
}

/** Each stack starts from empty streams, so nothing left by an earlier run is redelivered to it. */
export async function resetStreams(
  natsUrl = NATS_URL,
  auth?: { user: string; password: string },
): Promise<void> {
  const connection = await connect({
    servers: natsUrl.split(','),
    ...(auth ? { user: auth.user, pass: auth.password } : {}),
  });
  try {
    const manager = await connection.jetstreamManager();
    for await (const stream of manager.streams.list()) {
      if (stream.config.name.startsWith('SNAPEX_')) await manager.streams.delete(stream.config.name);
    }
  } finally {
    await connection.close();
  }
}

async function waitForLog(service: RunningService, pattern: RegExp, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const text = existsSync(service.logFile) ? readFileSync(service.logFile, 'utf8') : '';
    if (pattern.test(text)) return;
    if (service.process.exitCode !== null) {
      throw new Error(`${service.name} exited with ${service.process.exitCode}:\n${text.slice(-3000)}`);
    }
    await new Promise((resolveWait) => setTimeout(resolveWait, 100));
  }
  throw new Error(`${service.name} did not start within ${timeoutMs} ms`);
}

export function ensureDir(path: string): string {
  mkdirSync(path, { recursive: true });
  return path;
}

/** Every notification the stack published for one export task, from the notifications stream. */
export async function readNotifications(accountId: string, identifier: string): Promise<any[]> {
  const connection = await connect({ servers: NATS_URL });
  try {
    const manager = await connection.jetstreamManager();
    const info = await manager.streams.info('SNAPEX_NOTIFICATIONS');
    const found: any[] = [];
    for (let seq = info.state.first_seq; seq <= info.state.last_seq; seq++) {
      const message = await manager.streams.getMessage('SNAPEX_NOTIFICATIONS', { seq }).catch(() => null);
      if (!message || !message.subject.startsWith(`snapex.notifications.${accountId}.`)) continue;
      const notification = message.json<any>();
      if (notification.exportTaskIdentifier === identifier) found.push(notification);
    }
    return found;
  } finally {
    await connection.close();
  }
}
