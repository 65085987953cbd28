import { CancelRequested, TaskStarted } from '@snapex/contracts';
import {
  call,
  clusterArn,
  RegistryStack,
  REGION,
  SOURCE_NAMES,
  startRegistryStack,
  startRequest,
  TestAccount,
  uniqueIdentifier,
  watchSubject,
} from '../registry/registry-stack';
import { handlers, taskFailed, taskRef } from '../registry/task-events';

const MAX_ACTIVE = 5;

describe('api-gateway: the RDS export actions over HTTP', () => {
  let stack: RegistryStack;
  let main: TestAccount;
  let other: TestAccount;
  let bulk: TestAccount;

  beforeAll(async () => {
    stack = await startRegistryStack({ maxActiveTasksPerAccount: MAX_ACTIVE });
    [main, other, bulk] = stack.accounts;
  });

  afterAll(async () => {
    await stack?.stop();
  });

  function expectFault(
    response: { status: number; body: any },
    status: number,
    code: string,
    message?: string | RegExp,
  ) {
    expect(response.status).toBe(status);
    expect(response.body.Error).toMatchObject({ Type: status < 500 ? 'Sender' : 'Receiver', Code: code });
    expect(response.body.RequestId).toMatch(/^[0-9a-f-]{36}$/);
    if (message !== undefined) expect(response.body.Error.Message).toMatch(message);
  }

  const start = (body: Record<string, unknown>, account: TestAccount = main) =>
    call(stack, '/v1/StartExportTask', { body, apiKey: account.apiKey });
  const describeTasks = (body: Record<string, unknown>, account: TestAccount = main) =>
    call(stack, '/v1/DescribeExportTasks', { body, apiKey: account.apiKey });
  const cancel = (identifier: string, account: TestAccount = main) =>
    call(stack, '/v1/CancelExportTask', {
      body: { ExportTaskIdentifier: identifier },
      apiKey: account.apiKey,
    });

  /** Ends a task the way a failing stage would, freeing its source and its slot. */
  async function fail(account: TestAccount, identifier: string): Promise<void> {
    const task = await taskRef(stack, account.id, identifier);
    await handlers(stack).onTaskFailed(taskFailed(task, 'An unknown internal error occurred.'));
  }

  describe('authentication', () => {
    it('refuses a request without an API key', async () => {
      expectFault(
        await call(stack, '/v1/DescribeExportTasks', { body: {}, apiKey: null }),
        403,
        'MissingAuthenticationToken',
      );
    });

    it('refuses an unknown API key', async () => {
      expectFault(
        await call(stack, '/v1/DescribeExportTasks', { body: {}, apiKey: 'not-a-key-of-anyone-here' }),
        403,
        'InvalidClientTokenId',
      );
    });

    it('accepts the key as a bearer token', async () => {
      const response = await call(stack, '/v1/DescribeExportTasks', {
        body: {},
        apiKey: null,
        headers: { authorization: `Bearer ${main.apiKey}` },
      });
      expect(response.status).toBe(200);
    });

    it('serves /healthz without a key', async () => {
      const response = await call(stack, '/healthz', { method: 'GET', apiKey: null });
      expect(response).toMatchObject({ status: 200, body: { status: 'ok' } });
    });
  });

  describe('StartExportTask', () => {
    it('starts a task and answers with the RDS task shape', async () => {
      const watcher = await watchSubject(stack.nats, TaskStarted);
      try {
        const request = startRequest(stack, {
          S3Prefix: 'nightly',
          ExportOnly: ['shop', 'shop.public.orders'],
        });
        const response = await start(request);
        expect(response.status).toBe(200);
        expect(response.headers.get('x-amzn-requestid')).toMatch(/^[0-9a-f-]{36}$/);
        expect(response.body).toEqual({
          ExportTaskIdentifier: request.ExportTaskIdentifier,
          SourceArn: request.SourceArn,
          ExportOnly: ['shop', 'shop.public.orders'],
          S3Bucket: request.S3BucketName,
          S3Prefix: 'nightly',
          IamRoleArn: request.IamRoleArn,
          KmsKeyId: request.KmsKeyId,
          Status: 'STARTING',
          PercentProgress: 0,
          TotalExtractedDataInGB: 0,
          TaskStartTime: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
          SourceType: 'CLUSTER',
        });
        await watcher.waitFor<any>((event) => event.exportTaskIdentifier === request.ExportTaskIdentifier);
        await fail(main, request.ExportTaskIdentifier);
      } finally {
        await watcher.close();
      }
    });

    it.each([
      [{ SourceArn: '<absent>' }, 'MissingParameter', /SourceArn/],
      [{ KmsKeyId: null }, 'MissingParameter', /KmsKeyId/],
      [{ ExportTaskIdentifier: 42 }, 'InvalidParameterValue', /ExportTaskIdentifier/],
      [{ ExportOnly: 'shop' }, 'InvalidParameterValue', /ExportOnly/],
      [{ ExportOnly: ['shop', 7] }, 'InvalidParameterValue', /ExportOnly\[1\]/],
      [{ S3Prefx: 'typo' }, 'InvalidParameterValue', /Unknown parameter S3Prefx/],
      [{ ExportTaskIdentifier: '1-starts-with-a-digit' }, 'InvalidParameterValue', /ExportTaskIdentifier/],
      [{ ExportTaskIdentifier: 'two--hyphens' }, 'InvalidParameterValue', /ExportTaskIdentifier/],
      [{ S3Prefix: 'a:b' }, 'InvalidParameterValue', /S3Prefix/],
      [{ S3BucketName: 'Not_A_Bucket' }, 'InvalidS3BucketFault', /Not_A_Bucket/],
      [{ IamRoleArn: 'export-role' }, 'InvalidParameterValue', /IamRoleArn/],
      [{ KmsKeyId: 'my-key' }, 'InvalidParameterValue', /KmsKeyId/],
      [{ ExportOnly: ['shop.public.or-ders'] }, 'InvalidExportOnly', /or-ders/],
      [{ SourceArn: 'not-an-arn' }, 'InvalidParameterValue', /SourceArn/],
    ])('refuses %j with %s', async (overrides, code, message) => {
      const body: Record<string, unknown> = { ...startRequest(stack), ...overrides };
      for (const key of Object.keys(body)) if (body[key] === '<absent>') delete body[key];
      expectFault(await start(body), 400, code, message);
    });

    it('reports sources the caller cannot see as not found', async () => {
      expectFault(
        await start(startRequest(stack, { SourceArn: clusterArn(main.id, 'unregistered') })),
        404,
        'DBClusterNotFoundFault',
        'DBCluster unregistered not found.',
      );
      expectFault(
        await start(startRequest(stack, { SourceArn: clusterArn(other.id, 'orders') })),
        404,
        'DBClusterNotFoundFault',
      );
      expectFault(
        await start(startRequest(stack, { SourceArn: clusterArn(main.id, 'orders', 'eu-west-1') })),
        404,
        'DBClusterNotFoundFault',
      );
      expectFault(
        await start(
          startRequest(stack, {
            SourceArn: `arn:aws:rds:${REGION}:${main.id}:snapshot:rds:orders-2024-01-01`,
          }),
        ),
        404,
        'DBSnapshotNotFound',
        'DBSnapshot rds:orders-2024-01-01 not found.',
      );
      expectFault(
        await start(
          startRequest(stack, { SourceArn: `arn:aws:rds:${REGION}:${main.id}:cluster-snapshot:nightly` }),
        ),
        404,
        'DBClusterSnapshotNotFoundFault',
      );
    });

    it('refuses a second task with the same identifier, even after the first ended', async () => {
      const request = startRequest(stack, { SourceArn: clusterArn(main.id, 'billing') });
      expect((await start(request)).status).toBe(200);
      await fail(main, request.ExportTaskIdentifier);
      expectFault(
        await start({ ...request, SourceArn: clusterArn(main.id, 'crm') }),
        400,
        'ExportTaskAlreadyExists',
        `The export task with the ID ${request.ExportTaskIdentifier} already exists.`,
      );
    });

    it('lets another account reuse an identifier', async () => {
      const identifier = uniqueIdentifier(stack, 'shared-name');
      expect((await start(startRequest(stack, { ExportTaskIdentifier: identifier }, main))).status).toBe(200);
      expect(
        (await start(startRequest(stack, { ExportTaskIdentifier: identifier }, other), other)).status,
      ).toBe(200);
      await fail(main, identifier);
      await fail(other, identifier);
    });

    it('runs one export at a time per source', async () => {
      const first = startRequest(stack, { SourceArn: clusterArn(main.id, 'sales') });
      expect((await start(first)).status).toBe(200);
      expectFault(
        await start(startRequest(stack, { SourceArn: clusterArn(main.id, 'sales') })),
        400,
        'InvalidExportSourceState',
        `An export task is already running for ${first.SourceArn}.`,
      );
      await fail(main, first.ExportTaskIdentifier);
      expect((await start(startRequest(stack, { SourceArn: clusterArn(main.id, 'sales') }))).status).toBe(
        200,
      );
    });

    it(`holds the limit of ${MAX_ACTIVE} active tasks per account under concurrent starts`, async () => {
      const requests = SOURCE_NAMES.map((name) =>
        startRequest(stack, { SourceArn: clusterArn(bulk.id, name) }, bulk),
      );
      const responses = await Promise.all(requests.map((request) => start(request, bulk)));
      const accepted = responses.filter((response) => response.status === 200);
      const refused = responses.filter((response) => response.status !== 200);
      expect(accepted).toHaveLength(MAX_ACTIVE);
      for (const response of refused) expectFault(response, 400, 'ExportTaskLimitReached');
      for (const response of accepted) await fail(bulk, response.body.ExportTaskIdentifier);
    });

    it('creates one task when the same identifier is started twice at once', async () => {
      const request = startRequest(stack, { SourceArn: clusterArn(bulk.id, 'orders') }, bulk);
      const responses = await Promise.all([
        start(request, bulk),
        start({ ...request, SourceArn: clusterArn(bulk.id, 'billing') }, bulk),
      ]);
      expect(responses.map((response) => response.status).sort()).toEqual([200, 400]);
      expectFault(
        responses.find((response) => response.status === 400)!,
        400,
        'ExportTaskAlreadyExists',
      );
      await fail(bulk, request.ExportTaskIdentifier);
    });
  });

  describe('DescribeExportTasks', () => {
    const prefix = `describe`;
    let identifiers: string[];

    beforeAll(async () => {
      identifiers = [];
      for (let index = 0; index < 25; index++) {
        const request = startRequest(
          stack,
          {
            ExportTaskIdentifier: uniqueIdentifier(stack, prefix),
            SourceArn: clusterArn(bulk.id, SOURCE_NAMES[index % SOURCE_NAMES.length]),
            S3BucketName: index % 5 === 0 ? 'snapex-special-bucket' : 'snapex-test-exports',
          },
          bulk,
        );
        expect((await start(request, bulk)).status).toBe(200);
        identifiers.push(request.ExportTaskIdentifier);
        if (index < 24) await fail(bulk, request.ExportTaskIdentifier);
      }
    });

    it('pages newest first with an opaque marker', async () => {
      const first = await describeTasks(
        { MaxRecords: 20, Filters: [{ Name: 'export-task-identifier', Values: identifiers }] },
        bulk,
      );
      expect(first.status).toBe(200);
      expect(first.body.ExportTasks).toHaveLength(20);
      expect(first.body.ExportTasks.map((task: any) => task.ExportTaskIdentifier)).toEqual(
        [...identifiers].reverse().slice(0, 20),
      );
      expect(typeof first.body.Marker).toBe('string');
      const second = await describeTasks(
        {
          MaxRecords: 20,
          Marker: first.body.Marker,
          Filters: [{ Name: 'export-task-identifier', Values: identifiers }],
        },
        bulk,
      );
      expect(second.body.ExportTasks.map((task: any) => task.ExportTaskIdentifier)).toEqual(
        [...identifiers].reverse().slice(20),
      );
      expect(second.body.Marker).toBeUndefined();
    });

    it('filters by each filter name', async () => {
      const byIdentifier = await describeTasks(
        { Filters: [{ Name: 'export-task-identifier', Values: [identifiers[3], identifiers[4]] }] },
        bulk,
      );
      expect(byIdentifier.body.ExportTasks.map((task: any) => task.ExportTaskIdentifier)).toEqual([
        identifiers[4],
        identifiers[3],
      ]);

      const byBucket = await describeTasks(
        { Filters: [{ Name: 's3-bucket', Values: ['snapex-special-bucket'] }] },
        bulk,
      );
      expect(byBucket.body.ExportTasks.map((task: any) => task.ExportTaskIdentifier).sort()).toEqual(
        identifiers.filter((_, index) => index % 5 === 0).sort(),
      );

      const arn = clusterArn(bulk.id, SOURCE_NAMES[1]);
      const bySource = await describeTasks(
        {
          Filters: [
            { Name: 'source-arn', Values: [arn] },
            { Name: 'export-task-identifier', Values: identifiers },
          ],
        },
        bulk,
      );
      expect(bySource.body.ExportTasks.length).toBeGreaterThan(0);
      expect(bySource.body.ExportTasks.every((task: any) => task.SourceArn === arn)).toBe(true);

      const starting = await describeTasks({ Filters: [{ Name: 'status', Values: ['starting'] }] }, bulk);
      expect(starting.body.ExportTasks.map((task: any) => task.ExportTaskIdentifier)).toEqual([
        identifiers[24],
      ]);
      const failed = await describeTasks(
        {
          Filters: [
            { Name: 'status', Values: ['failed'] },
            { Name: 'export-task-identifier', Values: identifiers },
          ],
        },
        bulk,
      );
      expect(failed.body.ExportTasks).toHaveLength(24);
    });

    it('narrows by SourceArn, SourceType and ExportTaskIdentifier parameters', async () => {
      const one = await describeTasks({ ExportTaskIdentifier: identifiers[7] }, bulk);
      expect(one.body.ExportTasks).toHaveLength(1);
      expect(one.body.ExportTasks[0]).toMatchObject({
        ExportTaskIdentifier: identifiers[7],
        Status: 'FAILED',
      });
      const bySourceArn = await describeTasks(
        { SourceArn: clusterArn(bulk.id, SOURCE_NAMES[2]), SourceType: 'CLUSTER' },
        bulk,
      );
      expect(bySourceArn.body.ExportTasks.length).toBeGreaterThan(0);
      const snapshots = await describeTasks({ SourceType: 'SNAPSHOT' }, bulk);
      expect(snapshots.body.ExportTasks).toEqual([]);
    });

    it('refuses unknown filters, bad MaxRecords and foreign markers', async () => {
      expectFault(
        await describeTasks({ Filters: [{ Name: 'engine', Values: ['postgres'] }] }),
        400,
        'InvalidParameterValue',
        /engine/,
      );
      expectFault(
        await describeTasks({ Filters: [{ Name: 'status', Values: ['sleeping'] }] }),
        400,
        'InvalidParameterValue',
        /sleeping/,
      );
      expectFault(await describeTasks({ MaxRecords: 19 }), 400, 'InvalidParameterValue', /MaxRecords/);
      expectFault(await describeTasks({ MaxRecords: 101 }), 400, 'InvalidParameterValue', /MaxRecords/);
      expectFault(await describeTasks({ MaxRecords: '20' }), 400, 'InvalidParameterValue', /MaxRecords/);
      expectFault(await describeTasks({ Marker: 'garbage' }), 400, 'InvalidParameterValue', /Marker/);
      expectFault(
        await describeTasks({ SourceType: 'INSTANCE' }),
        400,
        'InvalidParameterValue',
        /SourceType/,
      );
    });

    it('reports an unknown identifier as not found', async () => {
      expectFault(
        await describeTasks({ ExportTaskIdentifier: 'no-such-task' }),
        404,
        'ExportTaskNotFound',
        "The export task with the ID no-such-task can't be found.",
      );
      expectFault(
        await call(stack, '/v1/export-tasks/no-such-task', { method: 'GET' }),
        404,
        'ExportTaskNotFound',
      );
    });
  });

  describe('accounts', () => {
    it('cannot see or cancel each other’s tasks', async () => {
      const request = startRequest(stack, { SourceArn: clusterArn(main.id, 'crm') });
      expect((await start(request)).status).toBe(200);

      expectFault(
        await describeTasks({ ExportTaskIdentifier: request.ExportTaskIdentifier }, other),
        404,
        'ExportTaskNotFound',
      );
      expectFault(
        await call(stack, `/v1/export-tasks/${request.ExportTaskIdentifier}`, {
          method: 'GET',
          apiKey: other.apiKey,
        }),
        404,
        'ExportTaskNotFound',
      );
      const othersList = await describeTasks({}, other);
      expect(othersList.body.ExportTasks.some((task: any) => task.SourceArn.includes(main.id))).toBe(false);
      expectFault(await cancel(request.ExportTaskIdentifier, other), 404, 'ExportTaskNotFound');

      const own = await call(stack, `/v1/export-tasks/${request.ExportTaskIdentifier}`, { method: 'GET' });
      expect(own.body).toMatchObject({
        ExportTaskIdentifier: request.ExportTaskIdentifier,
        Status: 'STARTING',
      });
      await fail(main, request.ExportTaskIdentifier);
    });
  });

  describe('CancelExportTask', () => {
    it('moves a running task to CANCELING once and announces it', async () => {
      const watcher = await watchSubject(stack.nats, CancelRequested);
      try {
        const request = startRequest(stack, { SourceArn: clusterArn(main.id, 'hr') });
        await start(request);
        const first = await cancel(request.ExportTaskIdentifier);
        expect(first.status).toBe(200);
        expect(first.body).toMatchObject({
          ExportTaskIdentifier: request.ExportTaskIdentifier,
          Status: 'CANCELING',
        });
        const again = await cancel(request.ExportTaskIdentifier);
        expect(again.body.Status).toBe('CANCELING');
        await watcher.waitFor<any>((event) => event.exportTaskIdentifier === request.ExportTaskIdentifier);
        expect(
          watcher.all<any>().filter((event) => event.exportTaskIdentifier === request.ExportTaskIdentifier),
        ).toHaveLength(1);
        expectFault(
          await start(startRequest(stack, { SourceArn: clusterArn(main.id, 'hr') })),
          400,
          'InvalidExportSourceState',
        );
      } finally {
        await watcher.close();
      }
    });

    it('refuses to cancel an ended task and reports unknown ones', async () => {
      const request = startRequest(stack, { SourceArn: clusterArn(main.id, 'ops') });
      await start(request);
      await fail(main, request.ExportTaskIdentifier);
      expectFault(
        await cancel(request.ExportTaskIdentifier),
        400,
        'InvalidExportTaskStateFault',
        `The export task with the ID ${request.ExportTaskIdentifier} is already failed.`,
      );
      expectFault(
        await cancel('never-started'),
        404,
        'ExportTaskNotFound',
        "The export task with the ID never-started can't be found.",
      );
      expectFault(
        await call(stack, '/v1/CancelExportTask', { body: {} }),
        400,
        'MissingParameter',
        /ExportTaskIdentifier/,
      );
    });
  });

  describe('caller mistakes never become server errors', () => {
    it('answers malformed JSON, non-object bodies, oversized bodies and unknown routes with faults', async () => {
      expectFault(
        await call(stack, '/v1/StartExportTask', { rawBody: '{"ExportTaskIdentifier":' }),
        400,
        'InvalidParameterValue',
        /JSON/,
      );
      expectFault(
        await call(stack, '/v1/StartExportTask', { rawBody: '[1,2]' }),
        400,
        'InvalidParameterValue',
        /object/,
      );
      expectFault(
        await call(stack, '/v1/DescribeExportTasks', { rawBody: ' '.repeat(5000) }),
        413,
        'PayloadTooLarge',
      );
      expectFault(await call(stack, '/v1/DeleteExportTask', { body: {} }), 404, 'InvalidAction');
      expectFault(await call(stack, '/v1/StartExportTask', { method: 'GET' }), 404, 'InvalidAction');
      expectFault(
        await call(stack, '/nowhere', { method: 'GET', apiKey: null }),
        403,
        'MissingAuthenticationToken',
      );
    });

    it('answers NUL characters and markers out of range with 400 faults, and keeps serving', async () => {
      expectFault(
        await start(startRequest(stack, { S3Prefix: 'nightly\u0000' })),
        400,
        'InvalidParameterValue',
        'Invalid value for parameter S3Prefix: must not contain control characters.',
      );
      expectFault(
        await describeTasks({
          Filters: [{ Name: 'source-arn', Values: [clusterArn(main.id, 'orders\u0000')] }],
        }),
        400,
        'InvalidParameterValue',
        /Filters\[0\]\.Values\[0\]/,
      );
      expectFault(
        await call(stack, '/v1/export-tasks/daily%00', { method: 'GET', apiKey: main.apiKey }),
        400,
        'InvalidParameterValue',
        /ExportTaskIdentifier/,
      );
      const pastBigint = Buffer.from('{"seq":"9223372036854775808"}').toString('base64url');
      expectFault(await describeTasks({ Marker: pastBigint }), 400, 'InvalidParameterValue', /Marker/);
      expect((await describeTasks({})).status).toBe(200);
    });

    it('accepts an empty body for an action without required parameters', async () => {
      const response = await call(stack, '/v1/DescribeExportTasks', { rawBody: '' });
      expect(response.status).toBe(200);
      expect(Array.isArray(response.body.ExportTasks)).toBe(true);
    });
  });

  it('refuses RestoreExportTask on a gateway where gateway.restoreExports is off, the default', async () => {
    const response = await call(stack, '/v1/RestoreExportTask', {
      body: { ExportTaskIdentifier: 'some-export', TargetUrl: 'postgresql://127.0.0.1/restored' },
    });
    expectFault(response, 400, 'InvalidAction', /gateway\.restoreExports/);
    const unknownTarget = await call(stack, '/v1/RestoreExportTask', {
      body: { ExportTaskIdentifier: 'some-export', TargetUrl: 'http://127.0.0.1/' },
    });
    expectFault(unknownTarget, 400, 'InvalidParameterValue', /TargetUrl/);
  });

  describe('when task-registry is down', () => {
    it('answers 503 ServiceUnavailable', async () => {
      await stack.registry.close();
      expectFault(await describeTasks({}), 503, 'ServiceUnavailable');
    });
  });
});
