import { NestFactory } from '@nestjs/core';
import { RDSClient } from '@aws-sdk/client-rds';
import { Hash } from '@smithy/hash-node';
import { SignatureV4 } from '@smithy/signature-v4';
import { durableName, EventPublisher } from '@snapex/bus';
import { parseConfig } from '@snapex/config';
import { STREAMS } from '@snapex/contracts';
import { createLogger } from '@snapex/logging';
import { XMLParser } from 'fast-xml-parser';
import { randomBytes } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { connect, NatsConnection } from 'nats';
import { Pool } from 'pg';
import { apiGatewayModule } from '../../apps/api-gateway/src/api-gateway.module';
import { CONSUMED_EVENTS } from '../../apps/task-registry/src/events/task-events.handler';
import { taskRegistryModule } from '../../apps/task-registry/src/task-registry.module';
import {
  clusterArn,
  randomAccountId,
  REGION,
  REGISTRY_SCHEMA,
  RegistryStack,
  SOURCE_NAMES,
  TestAccount,
} from '../registry/registry-stack';
import { handlers, taskFailed, taskRef } from '../registry/task-events';
import { dropDatabase, recreateDatabase } from '../support/databases';
import { startPrivateNats } from './private-nats';

export { clusterArn, REGION, SOURCE_NAMES };

// The SDK's notice about future Node.js versions is noise in test output.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

export interface RdsAccount extends TestAccount {
  accessKeyId: string;
  secretAccessKey: string;
}

/** A task-registry and an api-gateway in this process, whose accounts also have access key pairs. */
export interface RdsStack extends RegistryStack {
  accounts: [RdsAccount, RdsAccount, RdsAccount];
  maxBodyBytes: number;
  /** The official RDS client, signing as the account, pointed at the gateway. */
  rds(account: RdsAccount): RDSClient;
}

export async function startRdsStack(options: { maxBodyBytes?: number } = {}): Promise<RdsStack> {
  const runId = `${Date.now().toString(36)}${randomBytes(3).toString('hex')}`;
  const databaseName = `snapex_rds_api_test_${runId}`;
  const databaseUrl = await recreateDatabase(databaseName);
  const natsServer = await startPrivateNats();
  const accounts: [RdsAccount, RdsAccount, RdsAccount] = [newAccount(), newAccount(), newAccount()];
  const maxBodyBytes = options.maxBodyBytes ?? 1_048_576;
  const config = parseConfig({
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
    nats: { url: natsServer.url, ackWaitSeconds: 10, maxDeliver: 20 },
    registry: { databaseUrl, schema: REGISTRY_SCHEMA, maxActiveTasksPerAccount: 5 },
    gateway: { host: '127.0.0.1', port: 0, maxBodyBytes },
  });
  const logger = createLogger('rds-api-test', process.env.SNAPEX_TEST_LOG_LEVEL ?? 'silent');
  const registryService = `task-registry-rds-test-${runId}`;
  const registry = await NestFactory.createApplicationContext(
    taskRegistryModule(config, logger, { serviceName: registryService }),
    { logger: false },
  );
  await registry.init();
  const gateway = await NestFactory.create(
    apiGatewayModule(config, logger, { serviceName: `api-gateway-rds-test-${runId}` }),
    { logger: false, bodyParser: false },
  );
  await gateway.listen(0, '127.0.0.1');
  const baseUrl = (await gateway.getUrl()).replace('[::1]', '127.0.0.1');
  const pool = new Pool({
    connectionString: databaseUrl,
    max: 2,
    options: `-c search_path=${REGISTRY_SCHEMA}`,
  });
  const nats = await connect({ servers: natsServer.url });
  const publisher = registry.get(EventPublisher);
  const clients: RDSClient[] = [];

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
    maxBodyBytes,
    publish: (contract, payload) => publisher.publish(contract, payload),
    rds(account) {
      const client = new RDSClient({
        endpoint: baseUrl,
        region: REGION,
        credentials: { accessKeyId: account.accessKeyId, secretAccessKey: account.secretAccessKey },
        maxAttempts: 1,
      });
      clients.push(client);
      return client;
    },
    async stop() {
      for (const client of clients) client.destroy();
      await gateway.close();
      await registry.close();
      await pool.end();
      await deleteDurables(nats, registryService);
      await nats.close();
      await natsServer.stop();
      await dropDatabase(databaseName);
    },
  };
}

function newAccount(): RdsAccount {
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

/** Ends a task the way a failing stage would, freeing its source and its slot in the account's limit. */
export async function failTask(stack: RdsStack, account: RdsAccount, identifier: string): Promise<void> {
  const task = await taskRef(stack, account.id, identifier);
  await handlers(stack).onTaskFailed(taskFailed(task, 'An unknown internal error occurred.'));
}

let identifierCounter = 0;

export function newIdentifier(stack: RdsStack, label = 'rds'): string {
  identifierCounter += 1;
  return `${label}-${stack.runId}-${identifierCounter}`;
}

export function startInput(stack: RdsStack, account: RdsAccount, overrides: Record<string, unknown> = {}) {
  return {
    ExportTaskIdentifier: newIdentifier(stack),
    SourceArn: clusterArn(account.id, 'orders'),
    S3BucketName: 'snapex-test-exports',
    IamRoleArn: `arn:aws:iam::${account.id}:role/export-role`,
    KmsKeyId: `arn:aws:kms:${REGION}:${account.id}:key/1234abcd-12ab-34cd-56ef-1234567890ab`,
    ...overrides,
  };
}

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

export interface RawRequest {
  method?: string;
  path?: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
}

/** A plain HTTP request, headers exactly as given (node's fetch would rewrite Host). */
export function rawRequest(stack: RdsStack, request: RawRequest): Promise<RawResponse> {
  const url = new URL(request.path ?? '/', stack.baseUrl);
  return new Promise((resolve, reject) => {
    const outgoing = httpRequest(
      url,
      { method: request.method ?? 'POST', headers: request.headers ?? {} },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () =>
          resolve({
            status: response.statusCode ?? 0,
            headers: response.headers,
            text: Buffer.concat(chunks).toString('utf8'),
          }),
        );
      },
    );
    outgoing.on('error', reject);
    outgoing.end(request.body);
  });
}

export interface SigningOptions {
  accessKeyId?: string;
  secretAccessKey?: string;
  signingDate?: Date;
  region?: string;
  service?: string;
}

/** Signs a request the way the SDKs do, with the maintained SigV4 implementation, then sends it as signed. */
export async function signedRequest(
  stack: RdsStack,
  account: RdsAccount,
  request: RawRequest & { query?: Record<string, string> },
  signing: SigningOptions = {},
): Promise<RawResponse> {
  const url = new URL(stack.baseUrl);
  const path = request.path ?? '/';
  const signer = new SignatureV4({
    credentials: {
      accessKeyId: signing.accessKeyId ?? account.accessKeyId,
      secretAccessKey: signing.secretAccessKey ?? account.secretAccessKey,
    },
    region: signing.region ?? REGION,
    service: signing.service ?? 'rds',
    sha256: Hash.bind(null, 'sha256'),
  });
  const body = request.body ?? '';
  const signed = await signer.sign(
    {
      method: request.method ?? 'POST',
      protocol: 'http:',
      hostname: url.hostname,
      port: Number(url.port),
      path,
      query: request.query ?? {},
      headers: {
        host: url.host,
        'content-length': String(Buffer.byteLength(body)),
        ...request.headers,
      },
      body,
    },
    { signingDate: signing.signingDate },
  );
  const query = new URLSearchParams(request.query ?? {}).toString().replace(/\+/g, '%20');
  return rawRequest(stack, {
    method: request.method ?? 'POST',
    path: query ? `${path}?${query}` : path,
    headers: signed.headers as Record<string, string>,
    body,
  });
}

export const FORM = { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' };

/** `Action=…&Version=2014-10-31&…`, encoded as the SDK encodes it. */
export function queryBody(action: string, parameters: Record<string, string> = {}): string {
  return Object.entries({ Action: action, Version: '2014-10-31', ...parameters })
    .map(([name, value]) => `${encodeURIComponent(name)}=${encodeURIComponent(value)}`)
    .join('&');
}

export function queryCall(
  stack: RdsStack,
  account: RdsAccount,
  action: string,
  parameters: Record<string, string> = {},
  signing: SigningOptions = {},
): Promise<RawResponse> {
  return signedRequest(stack, account, { headers: FORM, body: queryBody(action, parameters) }, signing);
}

const xml = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@_', parseTagValue: false });

export function parseXml(text: string): any {
  return xml.parse(text);
}

/** The Code and Message of an RDS `<ErrorResponse>`, checking its shape on the way. */
export function xmlFault(response: RawResponse): { Type: string; Code: string; Message: string } {
  const document = parseXml(response.text);
  expect(response.headers['content-type']).toMatch(/^text\/xml/);
  expect(document.ErrorResponse['@_xmlns']).toBe('http://rds.amazonaws.com/doc/2014-10-31/');
  expect(document.ErrorResponse.RequestId).toBe(response.headers['x-amzn-requestid']);
  return document.ErrorResponse.Error;
}
