import { RDSClient, RDSServiceException } from '@aws-sdk/client-rds';
import { Hash } from '@smithy/hash-node';
import { SignatureV4 } from '@smithy/signature-v4';
import { XMLParser } from 'fast-xml-parser';
import { request as httpRequest } from 'node:http';
import {
  clusterArn,
  REGION,
  RegistryStack,
  RegistryStackOptions,
  SOURCE_NAMES,
  startRegistryStack,
  TestAccount,
} from '../registry/registry-stack';
import { handlers, taskFailed, taskRef } from '../registry/task-events';
import { startPrivateNats } from '../support/private-nats';

export { clusterArn, REGION, SOURCE_NAMES };

// The SDK's notice about future Node.js versions is noise in test output.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

export type RdsAccount = TestAccount;

/** A task-registry and an api-gateway in this process, on a NATS server of their own. */
export interface RdsStack extends RegistryStack {
  maxBodyBytes: number;
  /** The official RDS client, signing as the account, pointed at the gateway. */
  rds(account: RdsAccount): RDSClient;
}

export async function startRdsStack(
  options: Pick<RegistryStackOptions, 'maxBodyBytes' | 'name' | 'configure'> = {},
): Promise<RdsStack> {
  const natsServer = await startPrivateNats();
  const maxBodyBytes = options.maxBodyBytes ?? 1_048_576;
  let base: RegistryStack;
  try {
    base = await startRegistryStack({
      natsUrl: natsServer.url,
      maxBodyBytes,
      name: options.name ?? 'rds-api',
      configure: options.configure,
    });
  } catch (error) {
    await natsServer.stop();
    throw error;
  }
  const clients: RDSClient[] = [];
  return {
    ...base,
    maxBodyBytes,
    rds(account) {
      const client = new RDSClient({
        endpoint: base.baseUrl,
        region: REGION,
        credentials: { accessKeyId: account.accessKeyId, secretAccessKey: account.secretAccessKey },
        maxAttempts: 1,
      });
      clients.push(client);
      return client;
    },
    async stop() {
      for (const client of clients) client.destroy();
      await base.stop();
      await natsServer.stop();
    },
  };
}

/** The SDK's exception for a call, or a failure if the call went through. */
export async function rejection(client: RDSClient, command: any): Promise<RDSServiceException> {
  try {
    await client.send(command);
  } catch (error) {
    if (error instanceof RDSServiceException) return error;
    throw error;
  }
  throw new Error(`${command.constructor.name} succeeded`);
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
