import { INestApplication, INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { durableName, EventPublisher } from '@snapex/bus';
import { parseConfig, SnapexConfig } from '@snapex/config';
import { EventContract, EventPayload, STREAMS } from '@snapex/contracts';
import { createLogger } from '@snapex/logging';
import { randomBytes, randomInt } from 'node:crypto';
import { AckPolicy, connect, DeliverPolicy, JsMsg, NatsConnection } from 'nats';
import { Pool } from 'pg';
import { apiGatewayModule } from '../../apps/api-gateway/src/api-gateway.module';
import { CONSUMED_EVENTS } from '../../apps/task-registry/src/events/task-events.handler';
import { taskRegistryModule } from '../../apps/task-registry/src/task-registry.module';
import { dropDatabase, recreateDatabase } from '../support/databases';

export const NATS_URL = process.env.SNAPEX_TEST_NATS_URL ?? 'nats://127.0.0.1:4222';
export const REGION = 'us-east-1';
export const REGISTRY_SCHEMA = 'snapex_registry';

export const SOURCE_NAMES = ['orders', 'billing', 'crm', 'sales', 'hr', 'ops', 'web', 'iot', 'audit'];

export interface TestAccount {
  id: string;
  apiKey: string;
  /** SigV4 key pair of the account. */
  accessKeyId: string;
  secretAccessKey: string;
}

/** A task-registry and an api-gateway in this process, on a database of their own and the shared NATS. */
export interface RegistryStack {
  runId: string;
  /** The registry's service name, which its durable consumer names derive from. */
  registryService: string;
  config: SnapexConfig;
  /** main, other (isolation checks) and bulk (limits and paging). */
  accounts: [TestAccount, TestAccount, TestAccount];
  registry: INestApplicationContext;
  gateway: INestApplication;
  baseUrl: string;
  databaseUrl: string;
  /** Reads the registry's tables directly. */
  pool: Pool;
  nats: NatsConnection;
  publish<C extends EventContract>(contract: C, payload: EventPayload<C>): Promise<void>;
  stop(): Promise<void>;
}

export function randomAccountId(): string {
  return `9${String(randomInt(0, 1e11)).padStart(11, '0')}`;
}

export function clusterArn(accountId: string, name: string, region = REGION): string {
  return `arn:aws:rds:${region}:${accountId}:cluster:${name}`;
}

export interface RegistryStackOptions {
  maxActiveTasksPerAccount?: number;
  /** The shared server unless a suite brings its own. */
  natsUrl?: string;
  maxBodyBytes?: number;
  /** Names the database, services and logger of the run. */
  name?: string;
  /** Adds to the configuration the stack builds (more sources, a snapshot store, AWS endpoints). */
  configure?: (config: Record<string, unknown>, accounts: TestAccount[]) => Record<string, unknown>;
}

export async function startRegistryStack(options: RegistryStackOptions = {}): Promise<RegistryStack> {
  const name = options.name ?? 'registry';
  const runId = `${Date.now().toString(36)}${randomBytes(3).toString('hex')}`;
  const databaseName = `snapex_${name.replace(/-/g, '_')}_test_${runId}`;
  const databaseUrl = await recreateDatabase(databaseName);
  const accounts: [TestAccount, TestAccount, TestAccount] = [newAccount(), newAccount(), newAccount()];
  const configure = options.configure ?? ((config) => config);
  const rawConfig: Record<string, unknown> = {
    region: REGION,
    accounts: accounts.map((account) => ({
      id: account.id,
      apiKeys: [account.apiKey],
      accessKeys: [{ accessKeyId: account.accessKeyId, secretAccessKey: account.secretAccessKey }],
    })),
    sources: accounts.flatMap((account) =>
      SOURCE_NAMES.map((name) => ({
        name,
        accountId: account.id,
        engine: 'postgres',
        url: 'postgresql://reader@127.0.0.1:5432/unused',
      })),
    ),
    nats: { url: options.natsUrl ?? NATS_URL, ackWaitSeconds: 10, maxDeliver: 20 },
    registry: {
      databaseUrl,
      schema: REGISTRY_SCHEMA,
      maxActiveTasksPerAccount: options.maxActiveTasksPerAccount ?? 5,
    },
    gateway: { host: '127.0.0.1', port: 0, maxBodyBytes: options.maxBodyBytes ?? 4096 },
  };
  const config = parseConfig(configure(rawConfig, accounts));
  const logger = createLogger(`${name}-test`, process.env.SNAPEX_TEST_LOG_LEVEL ?? 'silent');
  const registryService = `task-registry-${name}-test-${runId}`;
  const registry = await NestFactory.createApplicationContext(
    taskRegistryModule(config, logger, { serviceName: registryService }),
    { logger: false },
  );
  await registry.init();
  const gateway = await NestFactory.create(
    apiGatewayModule(config, logger, { serviceName: `api-gateway-${name}-test-${runId}` }),
    {
      logger: false,
      bodyParser: false,
    },
  );
  await gateway.listen(0, '127.0.0.1');
  const baseUrl = (await gateway.getUrl()).replace('[::1]', '127.0.0.1');
  const pool = new Pool({
    connectionString: databaseUrl,
    max: 2,
    options: `-c search_path=${REGISTRY_SCHEMA}`,
  });
  const nats = await connect({ servers: options.natsUrl ?? NATS_URL });
  const publisher = registry.get(EventPublisher);

  return {
    runId,
    registryService,
    config,
    accounts,
    registry,
    gateway,
    baseUrl,
    databaseUrl,
    pool,
    nats,
    publish: (contract, payload) => publisher.publish(contract, payload),
    async stop() {
      await gateway.close();
      await registry.close();
      await pool.end();
      await deleteDurables(nats, registryService);
      await nats.close();
      await dropDatabase(databaseName);
    },
  };
}

function newAccount(): TestAccount {
  return {
    id: randomAccountId(),
    apiKey: `test-key-${randomBytes(16).toString('hex')}`,
    accessKeyId: `AKIA${randomBytes(8).toString('hex').toUpperCase()}`,
    secretAccessKey: randomBytes(30).toString('base64'),
  };
}

async function deleteDurables(nats: NatsConnection, service: string): Promise<void> {
  const manager = await nats.jetstreamManager();
  for (const contract of CONSUMED_EVENTS) {
    await manager.consumers
      .delete(STREAMS[contract.stream].name, durableName(service, contract.subject))
      .catch(() => undefined);
  }
}

/**
 * Publishes a payload under a transport id of its own, so JetStream's de-duplication lets it through
 * and only the handler's idempotency stands between it and a second application.
 */
export async function publishBypassingDedup(
  stack: RegistryStack,
  contract: EventContract,
  payload: { eventId: string },
): Promise<number> {
  const ack = await stack.nats.jetstream().publish(contract.subject, JSON.stringify(payload), {
    msgID: `${payload.eventId}:${randomBytes(4).toString('hex')}`,
  });
  return ack.seq;
}

/** Waits until the registry's durable consumer of a subject has handled and acknowledged a stream sequence. */
export async function waitUntilConsumed(
  stack: RegistryStack,
  contract: EventContract,
  streamSeq: number,
): Promise<void> {
  const manager = await stack.nats.jetstreamManager();
  await eventually(async () => {
    const info = await manager.consumers.info(
      STREAMS[contract.stream].name,
      durableName(stack.registryService, contract.subject),
    );
    return info.ack_floor.stream_seq >= streamSeq ? true : undefined;
  });
}

/** Collects the events published on one subject from now on. */
export async function watchSubject(nats: NatsConnection, contract: EventContract) {
  const manager = await nats.jetstreamManager();
  const stream = STREAMS[contract.stream].name;
  const name = `watch_${randomBytes(6).toString('hex')}`;
  await manager.consumers.add(stream, {
    durable_name: name,
    filter_subject: contract.subject,
    ack_policy: AckPolicy.Explicit,
    deliver_policy: DeliverPolicy.New,
    inactive_threshold: 60_000_000_000,
  });
  const consumer = await nats.jetstream().consumers.get(stream, name);
  const seen: unknown[] = [];
  return {
    /** Waits until an event matching the predicate has arrived. */
    async waitFor<T>(predicate: (payload: T) => boolean, timeoutMs = 15_000): Promise<T> {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const found = seen.find((payload) => predicate(payload as T));
        if (found) return found as T;
        if (Date.now() > deadline) throw new Error(`no matching ${contract.name} within ${timeoutMs} ms`);
        const message: JsMsg | null = await consumer.next({ expires: 1000 });
        if (message) {
          seen.push(message.json());
          message.ack();
        }
      }
    },
    all<T>(): T[] {
      return seen as T[];
    },
    async close() {
      await manager.consumers.delete(stream, name).catch(() => undefined);
    },
  };
}

export async function eventually<T>(probe: () => Promise<T | undefined>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

export interface HttpResult<T = any> {
  status: number;
  body: T;
  headers: Headers;
}

export async function call<T = any>(
  stack: RegistryStack,
  path: string,
  options: {
    apiKey?: string | null;
    body?: unknown;
    rawBody?: string;
    method?: string;
    headers?: Record<string, string>;
  } = {},
): Promise<HttpResult<T>> {
  const headers: Record<string, string> = { 'content-type': 'application/json', ...options.headers };
  const apiKey = options.apiKey === undefined ? stack.accounts[0].apiKey : options.apiKey;
  if (apiKey !== null) headers['x-api-key'] = apiKey;
  const response = await fetch(`${stack.baseUrl}${path}`, {
    method: options.method ?? 'POST',
    headers,
    body: options.rawBody ?? (options.body === undefined ? undefined : JSON.stringify(options.body)),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined, headers: response.headers };
}

let identifierCounter = 0;

export function uniqueIdentifier(stack: RegistryStack, label = 'export'): string {
  identifierCounter += 1;
  return `${label}-${stack.runId}-${identifierCounter}`;
}

export function startRequest(
  stack: RegistryStack,
  overrides: Record<string, unknown> = {},
  account: TestAccount = stack.accounts[0],
) {
  return {
    ExportTaskIdentifier: uniqueIdentifier(stack),
    SourceArn: clusterArn(account.id, 'orders'),
    S3BucketName: 'snapex-test-exports',
    IamRoleArn: `arn:aws:iam::${account.id}:role/export-role`,
    KmsKeyId: `arn:aws:kms:${REGION}:${account.id}:key/1234abcd-12ab-34cd-56ef-1234567890ab`,
    ...overrides,
  };
}
