import { HeadBucketCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { createServer as createHttpServer, IncomingMessage, ServerResponse } from 'node:http';
import { AddressInfo, createServer, Server, Socket } from 'node:net';
import { Readable } from 'node:stream';
import { parseConfig } from '@snapex/config';
import { AwsClients } from './aws-clients';

const BASE = { region: 'us-east-1', accounts: [{ id: '123456789012' }] };

describe('AWS endpoints and sessions in the configuration', () => {
  it('sends each service to its own endpoint when one is set, else to the common one', () => {
    const clients = new AwsClients(
      parseConfig({ ...BASE, aws: { endpoint: 'http://rgw:7480', endpoints: { kms: 'http://kms:5000' } } }),
    );
    expect(clients.endpointOf('s3')).toBe('http://rgw:7480');
    expect(clients.endpointOf('sts')).toBe('http://rgw:7480');
    expect(clients.endpointOf('kms')).toBe('http://kms:5000');
    expect(new AwsClients(parseConfig(BASE)).endpointOf('s3')).toBeUndefined();
  });

  it("keeps AWS STS's 900-second minimum for AWS, and passes shorter sessions to other endpoints", () => {
    expect(() => parseConfig({ ...BASE, aws: { roleSessionSeconds: 60 } })).toThrow(
      'config: aws.roleSessionSeconds: must be at least 900 when STS is AWS itself',
    );
    expect(
      parseConfig({ ...BASE, aws: { endpoint: 'http://moto:5000', roleSessionSeconds: 60 } }).aws
        .roleSessionSeconds,
    ).toBe(60);
    expect(parseConfig(BASE).aws).toMatchObject({
      roleSessionSeconds: 3600,
      keyRecheckSeconds: 60,
      endpoints: {},
    });
  });
});

const CREDENTIALS = { accessKeyId: 'AKIAEXAMPLE', secretAccessKey: 'example-secret' };

async function listening(server: Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

/** snapex's own S3 client against a local endpoint, idle for at most 300 ms. */
function serviceS3At(port: number) {
  const aws = {
    endpoint: `http://127.0.0.1:${port}`,
    forcePathStyle: true,
    serviceCredentials: CREDENTIALS,
    socketTimeoutMs: 300,
  };
  return new AwsClients(parseConfig({ ...BASE, aws })).serviceS3();
}

describe('AWS client timeouts', () => {
  const sockets: Socket[] = [];
  let server: Server;

  afterEach(async () => {
    sockets.forEach((socket) => socket.destroy());
    await new Promise((resolve) => server.close(resolve));
  });

  it('fails a call to an endpoint that accepts the connection and never answers', async () => {
    server = createServer((socket) => sockets.push(socket));
    const s3 = serviceS3At(await listening(server));
    await expect(s3.send(new HeadBucketCommand({ Bucket: 'silent' }))).rejects.toMatchObject({
      name: 'TimeoutError',
    });
    s3.destroy();
  });

  it('lets a request body that keeps flowing outlast the idle timeout', async () => {
    let received = 0;
    server = createHttpServer((request: IncomingMessage, response: ServerResponse) => {
      request.on('data', (chunk: Buffer) => (received += chunk.length));
      request.on('end', () => response.end());
    });
    const s3 = serviceS3At(await listening(server));
    // Ten chunks 100 ms apart: sending the body takes three times the idle timeout.
    const body = Readable.from(
      (async function* () {
        for (let chunk = 0; chunk < 10; chunk++) {
          await new Promise((resolve) => setTimeout(resolve, 100));
          yield Buffer.alloc(1024);
        }
      })(),
    );
    await s3.send(new PutObjectCommand({ Bucket: 'slow', Key: 'part', Body: body, ContentLength: 10_240 }));
    expect(received).toBeGreaterThanOrEqual(10_240);
    s3.destroy();
  });
});
