import {
  CancelExportTaskCommand,
  DBClusterNotFoundFault,
  DBClusterSnapshotNotFoundFault,
  DBSnapshotNotFoundFault,
  DescribeExportTasksCommand,
  ExportTask,
  ExportTaskAlreadyExistsFault,
  ExportTaskNotFoundFault,
  InvalidExportOnlyFault,
  InvalidExportSourceStateFault,
  InvalidExportTaskStateFault,
  InvalidS3BucketFault,
  paginateDescribeExportTasks,
  RDSClient,
  StartExportTaskCommand,
  StartExportTaskCommandInput,
} from '@aws-sdk/client-rds';
import {
  clusterArn,
  failTask,
  newIdentifier,
  RdsAccount,
  RdsStack,
  REGION,
  rejection,
  SOURCE_NAMES,
  startInput,
  startRdsStack,
} from './rds-stack';

describe('the official RDS SDK against snapex', () => {
  let stack: RdsStack;
  let main: RdsAccount;
  let other: RdsAccount;
  let bulk: RdsAccount;
  let rds: RDSClient;

  beforeAll(async () => {
    stack = await startRdsStack({ maxBodyBytes: 2 * 1024 * 1024 });
    [main, other, bulk] = stack.accounts;
    rds = stack.rds(main);
  });

  afterAll(async () => {
    await stack?.stop();
  });

  const start = (input: StartExportTaskCommandInput, client = rds) =>
    client.send(new StartExportTaskCommand(input));

  describe('StartExportTask', () => {
    it('starts a task and answers with the task, dates as dates', async () => {
      const input = startInput(stack, main, {
        S3Prefix: 'nightly',
        ExportOnly: ['shop', 'shop.public.orders'],
      });
      const task = await start(input);
      expect(task.$metadata.httpStatusCode).toBe(200);
      expect(task.$metadata.requestId).toMatch(/^[0-9a-f-]{36}$/);
      expect(task).toMatchObject({
        ExportTaskIdentifier: input.ExportTaskIdentifier,
        SourceArn: input.SourceArn,
        ExportOnly: ['shop', 'shop.public.orders'],
        S3Bucket: input.S3BucketName,
        S3Prefix: 'nightly',
        IamRoleArn: input.IamRoleArn,
        KmsKeyId: input.KmsKeyId,
        Status: 'STARTING',
        PercentProgress: 0,
        TotalExtractedDataInGB: 0,
        SourceType: 'CLUSTER',
      });
      expect(task.TaskStartTime).toBeInstanceOf(Date);
      expect(Math.abs(task.TaskStartTime!.getTime() - Date.now())).toBeLessThan(60_000);
      await failTask(stack, main, input.ExportTaskIdentifier);
    });

    it('raises ExportTaskAlreadyExistsFault with the seed’s message, even after the first task ended', async () => {
      const input = startInput(stack, main, { SourceArn: clusterArn(main.id, 'billing') });
      await start(input);
      await failTask(stack, main, input.ExportTaskIdentifier);
      const error = await rejection(
        rds,
        new StartExportTaskCommand({ ...input, SourceArn: clusterArn(main.id, 'crm') }),
      );
      expect(error).toBeInstanceOf(ExportTaskAlreadyExistsFault);
      expect(error.message).toBe(`The export task with the ID ${input.ExportTaskIdentifier} already exists.`);
      expect(error.$metadata.httpStatusCode).toBe(400);
      expect(error.$fault).toBe('client');
    });

    it('raises InvalidExportSourceStateFault while the source has a running export, partial or full', async () => {
      const full = startInput(stack, main, { SourceArn: clusterArn(main.id, 'sales') });
      await start(full);
      const partial = await rejection(
        rds,
        new StartExportTaskCommand(
          startInput(stack, main, { SourceArn: full.SourceArn, ExportOnly: ['shop'] }),
        ),
      );
      expect(partial).toBeInstanceOf(InvalidExportSourceStateFault);
      expect(partial.message).toBe(`An export task is already running for ${full.SourceArn}.`);
      await failTask(stack, main, full.ExportTaskIdentifier);
      const again = startInput(stack, main, { SourceArn: full.SourceArn, ExportOnly: ['shop'] });
      expect((await start(again)).Status).toBe('STARTING');
      await failTask(stack, main, again.ExportTaskIdentifier);
    });

    it('refuses a sixth active task in the account', async () => {
      const client = stack.rds(bulk);
      const started = [];
      for (const name of SOURCE_NAMES.slice(0, 5)) {
        const input = startInput(stack, bulk, { SourceArn: clusterArn(bulk.id, name) });
        await start(input, client);
        started.push(input.ExportTaskIdentifier);
      }
      await client.send(new CancelExportTaskCommand({ ExportTaskIdentifier: started[0] }));
      const error = await rejection(
        client,
        new StartExportTaskCommand(
          startInput(stack, bulk, { SourceArn: clusterArn(bulk.id, SOURCE_NAMES[5]) }),
        ),
      );
      expect(error.name).toBe('ExportTaskLimitReached');
      expect(error.message).toMatch(/more than 5 export tasks in progress/);
      for (const identifier of started) await failTask(stack, bulk, identifier);
    });

    it.each([
      [
        'snapshot',
        `arn:aws:rds:${REGION}:ACCOUNT:snapshot:rds:orders-2024-01-01`,
        DBSnapshotNotFoundFault,
        'DBSnapshot rds:orders-2024-01-01 not found.',
      ],
      [
        'cluster snapshot',
        `arn:aws:rds:${REGION}:ACCOUNT:cluster-snapshot:nightly`,
        DBClusterSnapshotNotFoundFault,
        'DBClusterSnapshot nightly not found.',
      ],
      [
        'unregistered cluster',
        `arn:aws:rds:${REGION}:ACCOUNT:cluster:unregistered`,
        DBClusterNotFoundFault,
        'DBCluster unregistered not found.',
      ],
      [
        'cluster in another region',
        'arn:aws:rds:eu-west-1:ACCOUNT:cluster:orders',
        DBClusterNotFoundFault,
        'DBCluster orders not found.',
      ],
    ])('raises the not-found fault for a %s', async (_kind, arn, type, message) => {
      const error = await rejection(
        rds,
        new StartExportTaskCommand(startInput(stack, main, { SourceArn: arn.replace('ACCOUNT', main.id) })),
      );
      expect(error).toBeInstanceOf(type);
      expect(error.message).toBe(message);
      expect(error.$metadata.httpStatusCode).toBe(404);
    });

    it('raises DBClusterNotFoundFault for another account’s cluster', async () => {
      const error = await rejection(
        rds,
        new StartExportTaskCommand(startInput(stack, main, { SourceArn: clusterArn(other.id, 'orders') })),
      );
      expect(error).toBeInstanceOf(DBClusterNotFoundFault);
    });

    it('raises InvalidExportOnlyFault for names partial export cannot take, and for a list over 200 KB', async () => {
      for (const item of [
        'shop.public.or-ders',
        'shöp',
        'shop.public.orders.extra',
        "shop'; DROP TABLE export_tasks;--",
      ]) {
        const error = await rejection(
          rds,
          new StartExportTaskCommand(startInput(stack, main, { ExportOnly: ['shop', item] })),
        );
        expect(error).toBeInstanceOf(InvalidExportOnlyFault);
        expect(error.message).toContain(item);
      }
      const name = 'd'.repeat(99);
      const tooMany = Array.from({ length: Math.floor((200 * 1024) / 100) + 1 }, () => name);
      const error = await rejection(
        rds,
        new StartExportTaskCommand(startInput(stack, main, { ExportOnly: tooMany })),
      );
      expect(error).toBeInstanceOf(InvalidExportOnlyFault);
      expect(error.message).toBe('The ExportOnly list must not be larger than 200 KB.');
    });

    it('accepts an ExportOnly list of exactly 200 KB', async () => {
      const name = 'd'.repeat(99);
      const fits = Array.from({ length: Math.floor((200 * 1024) / 100) }, () => name);
      const input = startInput(stack, main, { SourceArn: clusterArn(main.id, 'web'), ExportOnly: fits });
      expect((await start(input)).ExportOnly).toHaveLength(fits.length);
      await failTask(stack, main, input.ExportTaskIdentifier);
    });

    it('lists tasks with large ExportOnly lists a few at a time, so every page fits one bus message', async () => {
      const fits = Array.from(
        { length: 2000 },
        (_, index) => `database_${String(index).padStart(4, '0')}${'d'.repeat(86)}`,
      );
      const identifiers: string[] = [];
      for (let index = 0; index < 4; index++) {
        const input = startInput(stack, main, { SourceArn: clusterArn(main.id, 'web'), ExportOnly: fits });
        await start(input);
        await failTask(stack, main, input.ExportTaskIdentifier);
        identifiers.unshift(input.ExportTaskIdentifier);
      }
      const filters = [{ Name: 'export-task-identifier', Values: identifiers }];
      const first = await rds.send(new DescribeExportTasksCommand({ Filters: filters }));
      expect(first.ExportTasks!.length).toBeLessThan(4);
      expect(first.Marker).toEqual(expect.any(String));
      const listed: string[] = [];
      for await (const page of paginateDescribeExportTasks({ client: rds }, { Filters: filters })) {
        listed.push(...page.ExportTasks!.map((task) => task.ExportTaskIdentifier!));
        expect(page.ExportTasks!.every((task) => task.ExportOnly!.length === fits.length)).toBe(true);
      }
      expect(listed).toEqual(identifiers);
    });

    it('raises InvalidS3BucketFault for a name S3 would refuse', async () => {
      const error = await rejection(
        rds,
        new StartExportTaskCommand(startInput(stack, main, { S3BucketName: 'Not_A_Bucket' })),
      );
      expect(error).toBeInstanceOf(InvalidS3BucketFault);
      expect(error.message).toBe("The S3 bucket name Not_A_Bucket isn't a valid S3 bucket name.");
    });

    it.each([
      [{ ExportTaskIdentifier: 'my_export' }, /ExportTaskIdentifier is not a valid identifier/],
      [{ ExportTaskIdentifier: 'x'.repeat(64) }, /1 to 63 characters/],
      [{ S3Prefix: 'exports:daily' }, 'The parameter S3Prefix must not contain a colon (:).'],
      [{ IamRoleArn: 'export-role' }, /IamRoleArn must be the ARN of an IAM role/],
      [{ KmsKeyId: 'my-key' }, /KmsKeyId must be a KMS key ARN/],
      [{ SourceArn: 'orders-cluster' }, /SourceArn must be the ARN/],
    ])('raises InvalidParameterValue for %j', async (overrides, message) => {
      const error = await rejection(rds, new StartExportTaskCommand(startInput(stack, main, overrides)));
      expect(error.name).toBe('InvalidParameterValue');
      expect(error.$metadata.httpStatusCode).toBe(400);
      expect(error.message).toMatch(message);
    });

    it('raises MissingParameter for a required parameter left out', async () => {
      const input: Partial<StartExportTaskCommandInput> = startInput(stack, main);
      delete input.KmsKeyId;
      const error = await rejection(rds, new StartExportTaskCommand(input as StartExportTaskCommandInput));
      expect(error.name).toBe('MissingParameter');
      expect(error.message).toBe('The request must contain the parameter KmsKeyId.');
    });
  });

  describe('CancelExportTask', () => {
    it('moves a running task to CANCELING', async () => {
      const input = startInput(stack, main, { SourceArn: clusterArn(main.id, 'hr') });
      await start(input);
      const task = await rds.send(
        new CancelExportTaskCommand({ ExportTaskIdentifier: input.ExportTaskIdentifier }),
      );
      expect(task).toMatchObject({ ExportTaskIdentifier: input.ExportTaskIdentifier, Status: 'CANCELING' });
    });

    it('raises InvalidExportTaskStateFault for a task that has ended and ExportTaskNotFoundFault for an unknown one', async () => {
      const input = startInput(stack, main, { SourceArn: clusterArn(main.id, 'ops') });
      await start(input);
      await failTask(stack, main, input.ExportTaskIdentifier);
      const ended = await rejection(
        rds,
        new CancelExportTaskCommand({ ExportTaskIdentifier: input.ExportTaskIdentifier }),
      );
      expect(ended).toBeInstanceOf(InvalidExportTaskStateFault);
      expect(ended.message).toBe(
        `The export task with the ID ${input.ExportTaskIdentifier} is already failed.`,
      );
      const unknown = await rejection(
        rds,
        new CancelExportTaskCommand({ ExportTaskIdentifier: 'never-started' }),
      );
      expect(unknown).toBeInstanceOf(ExportTaskNotFoundFault);
      expect(unknown.message).toBe("The export task with the ID never-started can't be found.");
      expect(unknown.$metadata.httpStatusCode).toBe(404);
    });
  });

  describe('DescribeExportTasks', () => {
    const TASKS = 105;
    let identifiers: string[];
    let client: RDSClient;

    beforeAll(async () => {
      client = stack.rds(bulk);
      identifiers = [];
      for (let index = 0; index < TASKS; index++) {
        const input = startInput(stack, bulk, {
          ExportTaskIdentifier: newIdentifier(stack, 'page'),
          SourceArn: clusterArn(bulk.id, SOURCE_NAMES[index % SOURCE_NAMES.length]),
          S3BucketName: index % 10 === 0 ? 'snapex-special-bucket' : 'snapex-test-exports',
        });
        await start(input, client);
        identifiers.push(input.ExportTaskIdentifier);
        if (index < TASKS - 1) await failTask(stack, bulk, input.ExportTaskIdentifier);
      }
    });

    const ids = (tasks: ExportTask[] | undefined) => (tasks ?? []).map((task) => task.ExportTaskIdentifier);
    const byPrefix = { Name: 'export-task-identifier', Values: [] as string[] };

    it('pages across more than 100 tasks with Marker and MaxRecords, newest first', async () => {
      const filters = [{ ...byPrefix, Values: identifiers }];
      const first = await client.send(new DescribeExportTasksCommand({ Filters: filters }));
      expect(first.ExportTasks).toHaveLength(100);
      expect(first.Marker).toEqual(expect.any(String));
      const second = await client.send(
        new DescribeExportTasksCommand({ Filters: filters, Marker: first.Marker }),
      );
      expect(second.Marker).toBeUndefined();
      expect([...ids(first.ExportTasks), ...ids(second.ExportTasks)]).toEqual([...identifiers].reverse());

      const pages: string[][] = [];
      for await (const page of paginateDescribeExportTasks({ client, pageSize: 20 }, { Filters: filters })) {
        pages.push(ids(page.ExportTasks) as string[]);
      }
      expect(pages.map((page) => page.length)).toEqual([20, 20, 20, 20, 20, 5]);
      expect(pages.flat()).toEqual([...identifiers].reverse());
    });

    it('filters by each filter name', async () => {
      const byIdentifier = await client.send(
        new DescribeExportTasksCommand({
          Filters: [{ Name: 'export-task-identifier', Values: [identifiers[3], identifiers[4]] }],
        }),
      );
      expect(ids(byIdentifier.ExportTasks)).toEqual([identifiers[4], identifiers[3]]);

      const byBucket = await client.send(
        new DescribeExportTasksCommand({
          Filters: [{ Name: 's3-bucket', Values: ['snapex-special-bucket'] }],
        }),
      );
      expect(ids(byBucket.ExportTasks).sort()).toEqual(
        identifiers.filter((_, index) => index % 10 === 0).sort(),
      );

      const arn = clusterArn(bulk.id, SOURCE_NAMES[1]);
      const bySource = await client.send(
        new DescribeExportTasksCommand({
          Filters: [
            { Name: 'source-arn', Values: [arn] },
            { ...byPrefix, Values: identifiers },
          ],
        }),
      );
      expect(bySource.ExportTasks!.length).toBe(
        identifiers.filter((_, index) => index % SOURCE_NAMES.length === 1).length,
      );
      expect(bySource.ExportTasks!.every((task) => task.SourceArn === arn)).toBe(true);

      const starting = await client.send(
        new DescribeExportTasksCommand({
          Filters: [
            { Name: 'status', Values: ['starting'] },
            { ...byPrefix, Values: identifiers },
          ],
        }),
      );
      expect(ids(starting.ExportTasks)).toEqual([identifiers[TASKS - 1]]);
      const failed = await client.send(
        new DescribeExportTasksCommand({
          MaxRecords: 100,
          Filters: [
            { Name: 'status', Values: ['failed', 'complete'] },
            { ...byPrefix, Values: identifiers.slice(0, 50) },
          ],
        }),
      );
      expect(failed.ExportTasks).toHaveLength(50);
    });

    it('narrows by ExportTaskIdentifier, SourceArn and SourceType', async () => {
      const one = await client.send(new DescribeExportTasksCommand({ ExportTaskIdentifier: identifiers[7] }));
      expect(one.ExportTasks).toHaveLength(1);
      expect(one.ExportTasks![0]).toMatchObject({ ExportTaskIdentifier: identifiers[7], Status: 'FAILED' });
      expect(one.ExportTasks![0].FailureCause).toBe('An unknown internal error occurred.');
      expect(one.ExportTasks![0].TaskEndTime).toBeInstanceOf(Date);
      const arn = clusterArn(bulk.id, SOURCE_NAMES[2]);
      const bySourceArn = await client.send(
        new DescribeExportTasksCommand({ SourceArn: arn, SourceType: 'CLUSTER' }),
      );
      expect(bySourceArn.ExportTasks!.length).toBeGreaterThan(0);
      expect(bySourceArn.ExportTasks!.every((task) => task.SourceArn === arn)).toBe(true);
      const snapshots = await client.send(new DescribeExportTasksCommand({ SourceType: 'SNAPSHOT' }));
      expect(snapshots.ExportTasks).toEqual([]);
    });

    it('raises ExportTaskNotFoundFault for an unknown identifier and InvalidParameterValue for bad paging', async () => {
      const unknown = await rejection(
        client,
        new DescribeExportTasksCommand({ ExportTaskIdentifier: 'no-such-task' }),
      );
      expect(unknown).toBeInstanceOf(ExportTaskNotFoundFault);
      for (const input of [
        { MaxRecords: 19 },
        { MaxRecords: 101 },
        { Marker: 'garbage' },
        { Filters: [{ Name: 'engine', Values: ['x'] }] },
      ]) {
        const error = await rejection(client, new DescribeExportTasksCommand(input));
        expect(error.name).toBe('InvalidParameterValue');
      }
    });
  });

  describe('accounts', () => {
    it('cannot see or touch each other’s tasks', async () => {
      const input = startInput(stack, main, { SourceArn: clusterArn(main.id, 'crm') });
      await start(input);
      const theirs = stack.rds(other);
      expect(
        await rejection(
          theirs,
          new DescribeExportTasksCommand({ ExportTaskIdentifier: input.ExportTaskIdentifier }),
        ),
      ).toBeInstanceOf(ExportTaskNotFoundFault);
      expect(
        await rejection(
          theirs,
          new CancelExportTaskCommand({ ExportTaskIdentifier: input.ExportTaskIdentifier }),
        ),
      ).toBeInstanceOf(ExportTaskNotFoundFault);
      const list = await theirs.send(new DescribeExportTasksCommand({}));
      expect(list.ExportTasks!.some((task) => task.SourceArn!.includes(main.id))).toBe(false);
      const filtered = await theirs.send(
        new DescribeExportTasksCommand({ Filters: [{ Name: 'source-arn', Values: [input.SourceArn] }] }),
      );
      expect(filtered.ExportTasks).toEqual([]);

      const reused = startInput(stack, other, {
        ExportTaskIdentifier: input.ExportTaskIdentifier,
        SourceArn: clusterArn(other.id, 'crm'),
      });
      expect((await start(reused, theirs)).Status).toBe('STARTING');
      const own = await rds.send(
        new DescribeExportTasksCommand({ ExportTaskIdentifier: input.ExportTaskIdentifier }),
      );
      expect(own.ExportTasks![0]).toMatchObject({ SourceArn: input.SourceArn, Status: 'STARTING' });
      await failTask(stack, main, input.ExportTaskIdentifier);
      await failTask(stack, other, reused.ExportTaskIdentifier);
    });
  });
});
