import { DescribeExportTasksCommand } from '@aws-sdk/client-rds';
import {
  clusterArn,
  FORM,
  queryBody,
  queryCall,
  RawResponse,
  rawRequest,
  RdsAccount,
  RdsStack,
  REGION,
  signedRequest,
  startInput,
  startRdsStack,
  parseXml,
} from './rds-stack';

interface Malformed {
  name: string;
  send: () => Promise<RawResponse>;
}

/** A fault's code and message, whichever protocol answered. */
function faultOf(response: RawResponse): { Code: string; Message: string } {
  if (/^text\/xml/.test(String(response.headers['content-type']))) {
    return parseXml(response.text).ErrorResponse.Error;
  }
  return JSON.parse(response.text).Error;
}

describe('malformed requests', () => {
  let stack: RdsStack;
  let victim: RdsAccount;
  let other: RdsAccount;

  beforeAll(async () => {
    stack = await startRdsStack({ maxBodyBytes: 512 * 1024 });
    [, other, victim] = stack.accounts;
  });

  afterAll(async () => {
    await stack?.stop();
  });

  /** A StartExportTask that would be accepted but for the overrides; null leaves a parameter out. */
  function start(overrides: Record<string, string | null>): Promise<RawResponse> {
    const base: Record<string, string | null> = {
      ...startInput(stack, victim, { SourceArn: clusterArn(victim.id, 'orders') }),
    };
    const parameters = Object.fromEntries(
      Object.entries({ ...base, ...overrides }).filter(
        (entry): entry is [string, string] => entry[1] !== null,
      ),
    );
    return queryCall(stack, victim, 'StartExportTask', parameters);
  }

  function exportOnly(...items: string[]): Record<string, string> {
    return Object.fromEntries(items.map((item, index) => [`ExportOnly.member.${index + 1}`, item]));
  }

  function startJson(body: string): Promise<RawResponse> {
    return rawRequest(stack, {
      path: '/v1/StartExportTask',
      headers: { 'content-type': 'application/json', 'x-api-key': victim.apiKey },
      body,
    });
  }

  function signedBody(body: string, signing = {}): Promise<RawResponse> {
    return signedRequest(stack, victim, { headers: FORM, body }, signing);
  }

  const injection = "x'; DROP TABLE export_tasks; --";
  const malformed: Malformed[] = [
    // ExportTaskIdentifier
    { name: 'an empty identifier', send: () => start({ ExportTaskIdentifier: '' }) },
    { name: 'an identifier starting with a digit', send: () => start({ ExportTaskIdentifier: '1export' }) },
    { name: 'an identifier ending with a hyphen', send: () => start({ ExportTaskIdentifier: 'export-' }) },
    {
      name: 'an identifier with two hyphens in a row',
      send: () => start({ ExportTaskIdentifier: 'ex--port' }),
    },
    { name: 'an identifier with an underscore', send: () => start({ ExportTaskIdentifier: 'my_export' }) },
    { name: 'an identifier with a space', send: () => start({ ExportTaskIdentifier: 'my export' }) },
    { name: 'an identifier of 64 characters', send: () => start({ ExportTaskIdentifier: 'x'.repeat(64) }) },
    {
      name: 'an identifier of 10,000 characters',
      send: () => start({ ExportTaskIdentifier: 'x'.repeat(10_000) }),
    },
    {
      name: 'an identifier shaped like SQL injection',
      send: () => start({ ExportTaskIdentifier: injection }),
    },
    { name: 'a unicode identifier', send: () => start({ ExportTaskIdentifier: 'export-café' }) },
    { name: 'an identifier with an emoji', send: () => start({ ExportTaskIdentifier: 'export-📦' }) },
    { name: 'an identifier with a NUL byte', send: () => start({ ExportTaskIdentifier: 'export\u0000x' }) },
    { name: 'an identifier with a newline', send: () => start({ ExportTaskIdentifier: 'export\nx' }) },
    { name: 'an identifier with path traversal', send: () => start({ ExportTaskIdentifier: '../../etc' }) },
    { name: 'no identifier', send: () => start({ ExportTaskIdentifier: null }) },
    // SourceArn
    { name: 'an empty SourceArn', send: () => start({ SourceArn: '' }) },
    { name: 'a SourceArn that is a name', send: () => start({ SourceArn: 'orders' }) },
    { name: 'a SourceArn of another service', send: () => start({ SourceArn: 'arn:aws:s3:::orders' }) },
    {
      name: 'a SourceArn with a short account',
      send: () => start({ SourceArn: 'arn:aws:rds:us-east-1:1234:cluster:orders' }),
    },
    {
      name: 'a SourceArn of a DB instance',
      send: () => start({ SourceArn: `arn:aws:rds:${REGION}:${victim.id}:db:orders` }),
    },
    {
      name: 'a SourceArn in another region',
      send: () => start({ SourceArn: clusterArn(victim.id, 'orders', 'eu-west-1') }),
    },
    {
      name: 'a SourceArn of another account',
      send: () => start({ SourceArn: clusterArn(other.id, 'orders') }),
    },
    {
      name: 'a SourceArn of an unknown cluster',
      send: () => start({ SourceArn: clusterArn(victim.id, 'missing') }),
    },
    {
      name: 'a SourceArn of a snapshot',
      send: () => start({ SourceArn: `arn:aws:rds:${REGION}:${victim.id}:snapshot:nightly` }),
    },
    {
      name: 'a SourceArn shaped like SQL injection',
      send: () => start({ SourceArn: clusterArn(victim.id, injection) }),
    },
    { name: 'a unicode SourceArn', send: () => start({ SourceArn: clusterArn(victim.id, 'órdenes') }) },
    { name: 'no SourceArn', send: () => start({ SourceArn: null }) },
    // Bucket, role, key
    { name: 'an upper-case bucket', send: () => start({ S3BucketName: 'My-Bucket' }) },
    { name: 'a two-letter bucket', send: () => start({ S3BucketName: 'ab' }) },
    { name: 'a bucket shaped like an IP address', send: () => start({ S3BucketName: '192.168.1.1' }) },
    { name: 'a bucket with two dots', send: () => start({ S3BucketName: 'my..bucket' }) },
    { name: 'a unicode bucket', send: () => start({ S3BucketName: 'bücket' }) },
    { name: 'a role that is a name', send: () => start({ IamRoleArn: 'export-role' }) },
    {
      name: 'a role ARN of a user',
      send: () => start({ IamRoleArn: `arn:aws:iam::${victim.id}:user/export` }),
    },
    {
      name: 'a role ARN shaped like SQL injection',
      send: () => start({ IamRoleArn: `arn:aws:iam::${victim.id}:role/${injection}` }),
    },
    { name: 'a key id that is a name', send: () => start({ KmsKeyId: 'my-key' }) },
    { name: 'a key ARN of another service', send: () => start({ KmsKeyId: 'arn:aws:s3:::bucket' }) },
    { name: 'no KmsKeyId', send: () => start({ KmsKeyId: null }) },
    // S3Prefix
    { name: 'a prefix with a colon', send: () => start({ S3Prefix: 'exports:daily' }) },
    { name: 'a prefix with a control character', send: () => start({ S3Prefix: 'exports\u0007' }) },
    { name: 'a prefix longer than an S3 key', send: () => start({ S3Prefix: 'p'.repeat(1025) }) },
    // ExportOnly
    {
      name: 'ExportOnly shaped like SQL injection',
      send: () => start(exportOnly('shop; DROP TABLE export_tasks')),
    },
    { name: 'ExportOnly with a quote', send: () => start(exportOnly("shop.public.orders'--")) },
    { name: 'ExportOnly with a double-quoted name', send: () => start(exportOnly('shop."Orders"')) },
    { name: 'ExportOnly with a unicode name', send: () => start(exportOnly('shöp.public')) },
    { name: 'ExportOnly with a CJK name', send: () => start(exportOnly('データ.public.表')) },
    { name: 'ExportOnly with a hyphen', send: () => start(exportOnly('shop.public.or-ders')) },
    { name: 'ExportOnly with four parts', send: () => start(exportOnly('a.b.c.d')) },
    { name: 'ExportOnly with an empty part', send: () => start(exportOnly('shop..orders')) },
    { name: 'ExportOnly with an empty item', send: () => start(exportOnly('shop', '')) },
    { name: 'ExportOnly with a space', send: () => start(exportOnly('shop public')) },
    {
      name: 'ExportOnly over 200 KB',
      send: () => start(exportOnly(...Array.from({ length: 2100 }, () => 'd'.repeat(99)))),
    },
    {
      name: 'ExportOnly with a gap in its numbering',
      send: () => start({ 'ExportOnly.member.1': 'a', 'ExportOnly.member.3': 'c' }),
    },
    { name: 'ExportOnly given as one value', send: () => start({ ExportOnly: 'shop' }) },
    // Describe and cancel
    {
      name: 'MaxRecords below 20',
      send: () => queryCall(stack, victim, 'DescribeExportTasks', { MaxRecords: '19' }),
    },
    {
      name: 'MaxRecords above 100',
      send: () => queryCall(stack, victim, 'DescribeExportTasks', { MaxRecords: '101' }),
    },
    {
      name: 'MaxRecords that is not a number',
      send: () => queryCall(stack, victim, 'DescribeExportTasks', { MaxRecords: '1e3' }),
    },
    {
      name: 'a forged Marker',
      send: () =>
        queryCall(stack, victim, 'DescribeExportTasks', {
          Marker: Buffer.from('{"seq":"1 OR 1=1"}').toString('base64url'),
        }),
    },
    {
      name: 'an unknown filter',
      send: () =>
        queryCall(stack, victim, 'DescribeExportTasks', {
          'Filters.Filter.1.Name': 'engine',
          'Filters.Filter.1.Values.Value.1': 'postgres',
        }),
    },
    {
      name: 'a filter without values',
      send: () => queryCall(stack, victim, 'DescribeExportTasks', { 'Filters.Filter.1.Name': 'status' }),
    },
    {
      name: 'an unknown status filter value',
      send: () =>
        queryCall(stack, victim, 'DescribeExportTasks', {
          'Filters.Filter.1.Name': 'status',
          'Filters.Filter.1.Values.Value.1': 'done',
        }),
    },
    {
      name: 'an unknown SourceType',
      send: () => queryCall(stack, victim, 'DescribeExportTasks', { SourceType: 'INSTANCE' }),
    },
    {
      name: 'a cancel of an unknown task',
      send: () => queryCall(stack, victim, 'CancelExportTask', { ExportTaskIdentifier: injection }),
    },
    // Protocol
    {
      name: 'an unknown action',
      send: () => queryCall(stack, victim, 'DeleteExportTask', { ExportTaskIdentifier: 'x' }),
    },
    { name: 'no action', send: () => signedBody('Version=2014-10-31') },
    { name: 'no version', send: () => signedBody('Action=StartExportTask') },
    { name: 'an unknown parameter', send: () => start({ Force: 'true' }) },
    {
      name: 'a repeated parameter',
      send: () =>
        signedBody(`${queryBody('CancelExportTask', { ExportTaskIdentifier: 'a' })}&ExportTaskIdentifier=b`),
    },
    {
      name: 'a JSON body on the Query API',
      send: () =>
        signedRequest(stack, victim, {
          headers: { 'content-type': 'application/json' },
          body: '{"Action":"StartExportTask"}',
        }),
    },
    {
      name: 'a body over the size limit',
      send: () => signedBody(queryBody('DescribeExportTasks', { Marker: 'm'.repeat(600 * 1024) })),
    },
    { name: 'malformed JSON on the JSON API', send: () => startJson('{"ExportTaskIdentifier":') },
    { name: 'a JSON array on the JSON API', send: () => startJson('[]') },
    {
      name: 'a JSON number for a string',
      send: () => startJson(JSON.stringify({ ...startInput(stack, victim), ExportTaskIdentifier: 7 })),
    },
    {
      name: 'a JSON object for ExportOnly',
      send: () => startJson(JSON.stringify({ ...startInput(stack, victim), ExportOnly: { a: 1 } })),
    },
    // Signatures
    {
      name: 'no signature',
      send: () => rawRequest(stack, { headers: FORM, body: queryBody('StartExportTask') }),
    },
    {
      name: 'an unknown access key',
      send: () =>
        signedBody(queryBody('StartExportTask', { ...startInput(stack, victim) }), {
          accessKeyId: 'AKIAUNKNOWN000000000',
        }),
    },
    {
      name: 'a wrong secret',
      send: () =>
        signedBody(queryBody('StartExportTask', { ...startInput(stack, victim) }), {
          secretAccessKey: other.secretAccessKey,
        }),
    },
    {
      name: 'another account’s key with this account’s body',
      send: () =>
        signedBody(queryBody('StartExportTask', { ...startInput(stack, victim) }), {
          accessKeyId: other.accessKeyId,
        }),
    },
    {
      name: 'a request signed an hour ago',
      send: () =>
        signedBody(queryBody('StartExportTask', { ...startInput(stack, victim) }), {
          signingDate: new Date(Date.now() - 3600_000),
        }),
    },
    {
      name: 'a request signed for another region',
      send: () =>
        signedBody(queryBody('StartExportTask', { ...startInput(stack, victim) }), { region: 'eu-west-1' }),
    },
    {
      name: 'a malformed Authorization header',
      send: () =>
        rawRequest(stack, {
          headers: {
            ...FORM,
            authorization: 'AWS4-HMAC-SHA256 Credential=x',
            'x-amz-date': '20260101T000000Z',
          },
          body: queryBody('DescribeExportTasks'),
        }),
    },
    {
      name: 'a Signature Version 2 request',
      send: () =>
        rawRequest(stack, {
          headers: FORM,
          body: `${queryBody('DescribeExportTasks')}&SignatureVersion=2&AWSAccessKeyId=${victim.accessKeyId}&Signature=abc`,
        }),
    },
  ];

  it(`has a corpus of at least 50 malformed requests (${malformed.length})`, () => {
    expect(malformed.length).toBeGreaterThanOrEqual(50);
  });

  it.each(malformed.map((entry) => [entry.name, entry] as const))(
    'answers %s with a 4xx fault and a message',
    async (_name, entry) => {
      const response = await entry.send();
      expect(response.status).toBeGreaterThanOrEqual(400);
      expect(response.status).toBeLessThan(500);
      const fault = faultOf(response);
      expect(fault.Code).toMatch(/^[A-Za-z0-9]+$/);
      expect(fault.Message.length).toBeGreaterThan(10);
      expect(response.text).not.toMatch(/\bat .+\.(ts|js):\d+|node_modules|Error: /);
    },
  );

  it('created no task, queued no event and shows nothing to the account', async () => {
    const tasks = await stack.pool.query('SELECT count(*)::int AS count FROM export_tasks');
    expect(tasks.rows[0].count).toBe(0);
    const outbox = await stack.pool.query('SELECT count(*)::int AS count FROM outbox');
    expect(outbox.rows[0].count).toBe(0);
    const described = await stack.rds(victim).send(new DescribeExportTasksCommand({}));
    expect(described.ExportTasks).toEqual([]);
  });
});
