import { IncomingHttpHeaders } from 'node:http';
import { Hash } from '@smithy/hash-node';
import { SignatureV4 } from '@smithy/signature-v4';
import { Fault } from '@snapex/contracts';
import { AccessKeyDirectory } from './access-keys';
import { ReceivedRequest, SignatureV4Authenticator } from './signature-v4-authenticator';

const NOW = Date.UTC(2026, 10, 25, 12, 0, 0);
const key = { accessKeyId: 'AKIAEXAMPLEKEY00001', secretAccessKey: 'secret-of-the-first-account' };
const directory = new AccessKeyDirectory([
  { id: '123456789012', accessKeys: [key] },
  {
    id: '210987654321',
    accessKeys: [{ accessKeyId: 'AKIAEXAMPLEKEY00002', secretAccessKey: 'another-secret-key' }],
  },
]);
const authenticator = new SignatureV4Authenticator(directory, 'us-east-1', () => NOW);
const body = 'Action=DescribeExportTasks&Version=2014-10-31';

interface Signing {
  secretAccessKey?: string;
  accessKeyId?: string;
  signingDate?: Date;
  region?: string;
  service?: string;
  path?: string;
  query?: Record<string, string>;
  applyChecksum?: boolean;
}

async function signed(signing: Signing = {}): Promise<ReceivedRequest> {
  const signer = new SignatureV4({
    credentials: {
      accessKeyId: signing.accessKeyId ?? key.accessKeyId,
      secretAccessKey: signing.secretAccessKey ?? key.secretAccessKey,
    },
    region: signing.region ?? 'us-east-1',
    service: signing.service ?? 'rds',
    sha256: Hash.bind(null, 'sha256'),
    applyChecksum: signing.applyChecksum,
  });
  const path = signing.path ?? '/';
  const request = await signer.sign(
    {
      method: 'POST',
      protocol: 'http:',
      hostname: '127.0.0.1',
      port: 8080,
      path,
      query: signing.query ?? {},
      headers: { host: '127.0.0.1:8080', 'content-type': 'application/x-www-form-urlencoded' },
      body,
    },
    { signingDate: signing.signingDate ?? new Date(NOW) },
  );
  // Encoded as the SDKs encode: every reserved character percent-encoded, a space as %20.
  const query = Object.entries(signing.query ?? {})
    .map(([name, value]) => `${encodeURIComponent(name)}=${encodeURIComponent(value)}`)
    .join('&');
  return {
    method: 'POST',
    url: query ? `${path}?${query}` : path,
    headers: request.headers as IncomingHttpHeaders,
  };
}

async function outcome(request: ReceivedRequest, received = body): Promise<string> {
  try {
    const caller = authenticator.identify(request.headers);
    await authenticator.verify(request, caller, Buffer.from(received));
    return caller.key.accountId;
  } catch (error) {
    if (error instanceof Fault) return error.code;
    throw error;
  }
}

describe('Signature Version 4 authentication', () => {
  it('accepts a request signed as the SDKs sign, with or without a payload hash header', async () => {
    expect(await outcome(await signed())).toBe('123456789012');
    expect(await outcome(await signed({ applyChecksum: false }))).toBe('123456789012');
    expect(
      await outcome(await signed({ path: '/v1/export-tasks/a%20b', query: { x: 'a b+c', y: '' } })),
    ).toBe('123456789012');
  });

  it('accepts a clock up to 15 minutes off either way', async () => {
    expect(await outcome(await signed({ signingDate: new Date(NOW - 14 * 60_000) }))).toBe('123456789012');
    expect(await outcome(await signed({ signingDate: new Date(NOW + 14 * 60_000) }))).toBe('123456789012');
  });

  it('refuses a wrong secret, a changed body and a changed signed header', async () => {
    expect(await outcome(await signed({ secretAccessKey: 'not-the-secret' }))).toBe('SignatureDoesNotMatch');
    expect(await outcome(await signed(), `${body}&MaxRecords=20`)).toBe('SignatureDoesNotMatch');
    expect(await outcome(await signed({ applyChecksum: false }), `${body}&MaxRecords=20`)).toBe(
      'SignatureDoesNotMatch',
    );
    const request = await signed();
    request.headers['content-type'] = 'text/plain';
    expect(await outcome(request)).toBe('SignatureDoesNotMatch');
    const moved = await signed();
    expect(await outcome({ ...moved, url: '/v1/DescribeExportTasks' })).toBe('SignatureDoesNotMatch');
  });

  it('refuses unknown keys and session tokens as invalid tokens', async () => {
    expect(await outcome(await signed({ accessKeyId: 'AKIAUNKNOWNKEY00009' }))).toBe('InvalidClientTokenId');
    const withToken = await signed();
    withToken.headers['x-amz-security-token'] = 'token';
    expect(await outcome(withToken)).toBe('InvalidClientTokenId');
  });

  it('refuses requests signed too long ago or too far ahead, as replays', async () => {
    expect(await outcome(await signed({ signingDate: new Date(NOW - 16 * 60_000) }))).toBe('RequestExpired');
    expect(await outcome(await signed({ signingDate: new Date(NOW + 16 * 60_000) }))).toBe('RequestExpired');
  });

  it('refuses a credential scoped to another region or service', async () => {
    expect(await outcome(await signed({ region: 'eu-west-1' }))).toBe('SignatureDoesNotMatch');
    expect(await outcome(await signed({ service: 'ec2' }))).toBe('SignatureDoesNotMatch');
  });

  it('refuses a missing or malformed X-Amz-Date', async () => {
    const request = await signed();
    delete request.headers['x-amz-date'];
    expect(await outcome(request)).toBe('IncompleteSignature');
    request.headers['x-amz-date'] = '2026-11-25T12:00:00Z';
    expect(await outcome(request)).toBe('IncompleteSignature');
    request.headers['x-amz-date'] = '20261325T120000Z';
    expect(await outcome(request)).toBe('IncompleteSignature');
  });
});
