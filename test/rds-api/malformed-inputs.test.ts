import { DescribeExportTasksCommand } from '@aws-sdk/client-rds';
import {
  CancelExportTaskRpc,
  CreateSnapshotRpc,
  DescribeExportTasksRpc,
  DescribeSnapshotsRpc,
  RpcContract,
  StartExportTaskRpc,
} from '@snapex/contracts';
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

type Body = Record<string, unknown>;

/** A fault's type, code and message, whichever protocol answered. */
function faultOf(response: RawResponse): { Type: string; Code: string; Message: string } {
  if (/^text\/xml/.test(String(response.headers['content-type']))) {
    return parseXml(response.text).ErrorResponse.Error;
  }
  return JSON.parse(response.text).Error;
}

/** Each string, number or boolean of a body in turn with a NUL in it: the parameter's name and the body. */
function withNulEach(body: Body): [string, Body][] {
  const variants: [string, Body][] = [];
  const visit = (value: unknown, path: (string | number)[], replace: (poisoned: unknown) => Body) => {
    if (Array.isArray(value)) {
      value.forEach((item, index) =>
        visit(item, [...path, index], (poisoned) =>
          replace(value.map((other, at) => (at === index ? poisoned : other))),
        ),
      );
    } else if (value !== null && typeof value === 'object') {
      for (const [key, item] of Object.entries(value)) {
        visit(item, [...path, key], (poisoned) => replace({ ...value, [key]: poisoned }));
      }
    } else {
      const text = String(value);
      variants.push([path.join('.'), replace(`${text.slice(0, 1)}\u0000${text.slice(1)}`)]);
    }
  };
  visit(body, [], (poisoned) => poisoned as Body);
  return variants;
}

/** The member names RDS's Query protocol gives the items of each list parameter. */
const LIST_MEMBERS: Record<string, string> = {
  ExportOnly: 'member',
  Filters: 'Filter',
  Values: 'Value',
  Dumps: 'member',
  Tags: 'Tag',
};

/** A body flattened the way the SDKs send it: `Filters.Filter.1.Values.Value.1`. */
function queryParameters(body: Body, prefix = ''): Record<string, string> {
  const parameters: Record<string, string> = {};
  for (const [name, value] of Object.entries(body)) {
    if (!Array.isArray(value)) {
      parameters[`${prefix}${name}`] = String(value);
      continue;
    }
    value.forEach((item, index) => {
      const member = `${prefix}${name}.${LIST_MEMBERS[name]}.${index + 1}`;
      if (typeof item === 'object') Object.assign(parameters, queryParameters(item, `${member}.`));
      else parameters[member] = String(item);
    });
  }
  return parameters;
}

function encodedMarker(json: string): string {
  return Buffer.from(json).toString('base64url');
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
    return jsonCall('StartExportTask', body);
  }

  function jsonCall(action: string, body: string): Promise<RawResponse> {
    return rawRequest(stack, {
      path: `/v1/${action}`,
      headers: { 'content-type': 'application/json', 'x-api-key': victim.apiKey },
      body,
    });
  }

  /** The same parameters in the URL of a GET, the other way the Query protocol is sent. */
  function queryGet(action: string, parameters: Record<string, string>): Promise<RawResponse> {
    return signedRequest(stack, victim, {
      method: 'GET',
      query: { Action: action, Version: '2014-10-31', ...parameters },
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

  /** Every action with every parameter it takes, each given a value that would pass on its own. */
  function wellFormedCalls(accountId: string): [string, Body][] {
    const marker = Buffer.from('{"seq":"1"}').toString('base64url');
    const filters = [{ Name: 'status', Values: ['failed'] }];
    const describeSnapshots = (identifier: string, source: string) => ({
      [identifier]: 'nightly',
      [source]: 'orders',
      SnapshotType: 'manual',
      Filters: [{ Name: 'engine', Values: ['postgres'] }],
      Marker: marker,
      MaxRecords: 20,
      IncludeShared: false,
      IncludePublic: false,
    });
    const register = (identifier: string, source: string) => ({
      [identifier]: 'nightly',
      [source]: 'orders',
      Engine: 'postgres',
      Dumps: [{ Database: 'shop', Format: 'pg-custom', S3Key: 'dumps/shop.dump' }],
    });
    const create = (identifier: string, source: string) => ({
      [identifier]: 'nightly',
      [source]: 'orders',
      Tags: [{ Key: 'team', Value: 'data' }],
    });
    const calls: Record<string, Body>[] = [
      {
        StartExportTask: {
          ExportTaskIdentifier: 'nightly',
          SourceArn: clusterArn(accountId, 'orders'),
          S3BucketName: 'snapex-test-exports',
          IamRoleArn: `arn:aws:iam::${accountId}:role/export-role`,
          KmsKeyId: `arn:aws:kms:${REGION}:${accountId}:key/1234abcd-12ab-34cd-56ef-1234567890ab`,
          S3Prefix: 'nightly',
          ExportOnly: ['shop.public.orders'],
        },
      },
      {
        DescribeExportTasks: {
          ExportTaskIdentifier: 'daily',
          SourceArn: clusterArn(accountId, 'orders'),
          SourceType: 'CLUSTER',
          Filters: filters,
          Marker: marker,
          MaxRecords: 20,
        },
      },
      { CancelExportTask: { ExportTaskIdentifier: 'daily' } },
      { CreateDBSnapshot: create('DBSnapshotIdentifier', 'DBInstanceIdentifier') },
      { CreateDBClusterSnapshot: create('DBClusterSnapshotIdentifier', 'DBClusterIdentifier') },
      { RegisterDBSnapshot: register('DBSnapshotIdentifier', 'DBInstanceIdentifier') },
      { RegisterDBClusterSnapshot: register('DBClusterSnapshotIdentifier', 'DBClusterIdentifier') },
      { DescribeDBSnapshots: describeSnapshots('DBSnapshotIdentifier', 'DBInstanceIdentifier') },
      {
        DescribeDBClusterSnapshots: describeSnapshots('DBClusterSnapshotIdentifier', 'DBClusterIdentifier'),
      },
      { DeleteDBSnapshot: { DBSnapshotIdentifier: 'nightly' } },
      { DeleteDBClusterSnapshot: { DBClusterSnapshotIdentifier: 'nightly' } },
    ];
    return calls.map((call) => Object.entries(call)[0]);
  }

  /**
   * One request per parameter of every action, that parameter holding a NUL, in JSON and both Query
   * forms. Names are known before the stack runs; bodies are built for the victim when sent.
   */
  function nulCorpus(): Malformed[] {
    return wellFormedCalls('000000000000').flatMap(([action, skeleton], call) =>
      withNulEach(skeleton).flatMap(([parameter], variant) => {
        const poisoned = () => withNulEach(wellFormedCalls(victim.id)[call][1])[variant][1];
        return [
          {
            name: `${action} ${parameter} as JSON`,
            send: () => jsonCall(action, JSON.stringify(poisoned())),
          },
          {
            name: `${action} ${parameter} in a Query body`,
            send: () => queryCall(stack, victim, action, queryParameters(poisoned())),
          },
          {
            name: `${action} ${parameter} in a Query string`,
            send: () => queryGet(action, queryParameters(poisoned())),
          },
        ];
      }),
    );
  }

  it.each(nulCorpus().map((entry) => [entry.name, entry] as const))(
    'answers a NUL in %s with a 400 InvalidParameterValue',
    async (_name, entry) => {
      const response = await entry.send();
      expect(response.status).toBe(400);
      expect(faultOf(response)).toEqual({
        Type: 'Sender',
        Code: 'InvalidParameterValue',
        Message: expect.stringMatching(
          /^Invalid value for parameter \S+: must not contain control characters\.$/,
        ),
      });
    },
  );

  const nulElsewhere: Malformed[] = [
    {
      name: 'the JSON API’s path',
      send: () =>
        rawRequest(stack, {
          method: 'GET',
          path: '/v1/export-tasks/daily%00x',
          headers: { 'x-api-key': victim.apiKey },
        }),
    },
    { name: 'a JSON parameter name', send: () => jsonCall('DescribeExportTasks', '{"Marker\\u0000":"m"}') },
    {
      name: 'a Query parameter name',
      send: () => queryCall(stack, victim, 'DescribeExportTasks', { 'Mar\u0000ker': 'm' }),
    },
    { name: 'the Query action', send: () => queryCall(stack, victim, 'DescribeExport\u0000Tasks') },
    { name: 'the Query version', send: () => signedBody('Action=DescribeExportTasks&Version=2014-10-31%00') },
    { name: 'the Query action in the URL', send: () => queryGet('Describe\u0000DBSnapshots', {}) },
  ];

  it.each(nulElsewhere.map((entry) => [entry.name, entry] as const))(
    'answers a NUL in %s with a 400 fault',
    async (_name, entry) => {
      const response = await entry.send();
      expect(response.status).toBe(400);
      const fault = faultOf(response);
      expect(fault.Code).toMatch(/^(InvalidParameterValue|InvalidAction)$/);
      expect(fault.Message.length).toBeGreaterThan(10);
    },
  );

  const outOfRangeMarkers = {
    'a position past the largest bigint': encodedMarker('{"seq":"9223372036854775808"}'),
    'a position of twenty digits': encodedMarker('{"seq":"99999999999999999999"}'),
    'a negative position': encodedMarker('{"seq":"-1"}'),
    'a NaN position': encodedMarker('{"seq":"NaN"}'),
    'a position with a huge exponent': encodedMarker('{"seq":"1e999"}'),
    'a numeric position with a huge exponent': encodedMarker('{"seq":1e999}'),
    'a JSON null': encodedMarker('null'),
    'base64 garbage': 'bm90IGpzb24gYXQgYWxs',
    'characters outside base64': '%%%***',
  };
  const markerActions = ['DescribeExportTasks', 'DescribeDBSnapshots', 'DescribeDBClusterSnapshots'];
  const markerCases = markerActions.flatMap((action) =>
    Object.entries(outOfRangeMarkers).flatMap(([label, Marker]) => [
      [`${action}, ${label}, as JSON`, () => jsonCall(action, JSON.stringify({ Marker }))] as const,
      [`${action}, ${label}, over Query`, () => queryCall(stack, victim, action, { Marker })] as const,
    ]),
  );

  it.each(markerCases)('answers a Marker to %s with a 400 InvalidParameterValue', async (_name, send) => {
    const response = await send();
    expect(response.status).toBe(400);
    expect(faultOf(response)).toMatchObject({
      Code: 'InvalidParameterValue',
      Message: expect.stringMatching(/Marker/),
    });
  });

  it('has the registry refuse a NUL on its own, whoever calls it', async () => {
    const requests: [RpcContract, unknown][] = [
      [
        StartExportTaskRpc,
        { accountId: victim.id, input: { ...startInput(stack, victim), S3Prefix: 'a\u0000' } },
      ],
      [
        DescribeExportTasksRpc,
        { accountId: victim.id, input: { Filters: [{ Name: 'status', Values: ['\u0000'] }] } },
      ],
      [CancelExportTaskRpc, { accountId: victim.id, input: { ExportTaskIdentifier: 'x\u0000' } }],
      [
        DescribeSnapshotsRpc,
        { accountId: victim.id, kind: 'db-snapshot', input: { sourceIdentifier: 'orders\u0000' } },
      ],
      [
        CreateSnapshotRpc,
        {
          accountId: victim.id,
          kind: 'db-snapshot',
          snapshotIdentifier: 'n\u0000',
          sourceIdentifier: 'orders',
        },
      ],
    ];
    for (const [contract, request] of requests) {
      const reply = await stack.nats.request(contract.subject, JSON.stringify(request), { timeout: 5000 });
      expect(JSON.parse(reply.string())).toEqual({
        ok: false,
        fault: {
          code: 'InvalidParameterValue',
          message: expect.stringMatching(/must not contain control characters/),
          httpStatus: 400,
        },
      });
    }
  });

  it('keeps answering on both APIs after all of them', async () => {
    const json = await jsonCall('DescribeExportTasks', '{}');
    expect(json.status).toBe(200);
    expect(JSON.parse(json.text)).toEqual({ ExportTasks: [] });
    const query = await queryCall(stack, victim, 'DescribeDBSnapshots');
    expect(query.status).toBe(200);
    expect(parseXml(query.text).DescribeDBSnapshotsResponse).toBeDefined();
  });

  it('created no task, queued no event and shows nothing to the account', async () => {
    const tasks = await stack.pool.query('SELECT count(*)::int AS count FROM export_tasks');
    expect(tasks.rows[0].count).toBe(0);
    const outbox = await stack.pool.query('SELECT count(*)::int AS count FROM outbox');
    expect(outbox.rows[0].count).toBe(0);
    const described = await stack.rds(victim).send(new DescribeExportTasksCommand({}));
    expect(described.ExportTasks).toEqual([]);
  });
});
