import { runSnapex } from '../support/snapex-cli';
import {
  exportPlanned,
  handlers,
  partitionExported,
  taskCompleted,
  taskRef,
  tablePlanned,
} from '../registry/task-events';
import { clusterArn, failTask, RdsAccount, RdsStack, REGION, startInput, startRdsStack } from './rds-stack';

describe('the snapex command line', () => {
  let stack: RdsStack;
  let main: RdsAccount;

  beforeAll(async () => {
    stack = await startRdsStack();
    [main] = stack.accounts;
  });

  afterAll(async () => {
    await stack?.stop();
  });

  const snapex = (args: string[], watch: { sleep?: (ms: number) => Promise<void> } = {}) =>
    runSnapex(
      args,
      {
        SNAPEX_ENDPOINT_URL: stack.baseUrl,
        AWS_ACCESS_KEY_ID: main.accessKeyId,
        AWS_SECRET_ACCESS_KEY: main.secretAccessKey,
        AWS_REGION: REGION,
      },
      { intervalMs: 10, ...watch },
    );

  function startArgs(input: ReturnType<typeof startInput>): string[] {
    return [
      'start-export-task',
      '--export-task-identifier',
      input.ExportTaskIdentifier,
      '--source-arn',
      input.SourceArn,
      '--s3-bucket-name',
      input.S3BucketName,
      '--iam-role-arn',
      input.IamRoleArn,
      '--kms-key-id',
      input.KmsKeyId,
    ];
  }

  it('starts a task and prints it as the seed’s example does', async () => {
    const input = startInput(stack, main, { SourceArn: clusterArn(main.id, 'billing') });
    const result = await snapex([
      ...startArgs(input),
      '--s3-prefix',
      'nightly',
      '--export-only',
      'shop',
      'shop.public.orders',
    ]);
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(result.stdout).toMatch(/^\{\n {4}"ExportTaskIdentifier": /);
    expect(JSON.parse(result.stdout)).toEqual({
      ExportTaskIdentifier: input.ExportTaskIdentifier,
      SourceArn: input.SourceArn,
      ExportOnly: ['shop', 'shop.public.orders'],
      TaskStartTime: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
      S3Bucket: input.S3BucketName,
      S3Prefix: 'nightly',
      IamRoleArn: input.IamRoleArn,
      KmsKeyId: input.KmsKeyId,
      Status: 'STARTING',
      PercentProgress: 0,
      TotalExtractedDataInGB: 0,
      SourceType: 'CLUSTER',
    });
    await failTask(stack, main, input.ExportTaskIdentifier);
  });

  it('describes with --filters in shorthand and JSON, and cancels', async () => {
    const input = startInput(stack, main, { SourceArn: clusterArn(main.id, 'crm') });
    expect((await snapex(startArgs(input))).code).toBe(0);
    const shorthand = await snapex([
      'describe-export-tasks',
      '--filters',
      'Name=status,Values=starting,in_progress',
      `Name=source-arn,Values=${input.SourceArn}`,
    ]);
    expect(JSON.parse(shorthand.stdout).ExportTasks.map((task: any) => task.ExportTaskIdentifier)).toEqual([
      input.ExportTaskIdentifier,
    ]);
    const json = await snapex([
      'describe-export-tasks',
      '--filters',
      JSON.stringify([{ Name: 'export-task-identifier', Values: [input.ExportTaskIdentifier] }]),
    ]);
    expect(JSON.parse(json.stdout).ExportTasks).toHaveLength(1);
    const canceled = await snapex([
      'cancel-export-task',
      '--export-task-identifier',
      input.ExportTaskIdentifier,
    ]);
    expect(JSON.parse(canceled.stdout)).toMatchObject({ Status: 'CANCELING' });
  });

  it('reports faults in the AWS CLI’s words and exit code', async () => {
    const result = await snapex(['cancel-export-task', '--export-task-identifier', 'never-started']);
    expect(result.code).toBe(254);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe(
      "\nAn error occurred (ExportTaskNotFound) when calling the CancelExportTask operation: The export task with the ID never-started can't be found.\n",
    );
  });

  it('follows a task with --watch until it is COMPLETE', async () => {
    const input = startInput(stack, main, { SourceArn: clusterArn(main.id, 'sales') });
    const steps = [
      async () => {
        const task = await taskRef(stack, main.id, input.ExportTaskIdentifier);
        await handlers(stack).onTablePlanned(tablePlanned(task, 0, 2, 2000));
        await handlers(stack).onExportPlanned(exportPlanned(task, { tables: 1, skipped: 0, partitions: 2 }));
      },
      async () => {
        const task = await taskRef(stack, main.id, input.ExportTaskIdentifier);
        await handlers(stack).onPartitionExported(partitionExported(task, 0, 1, 1000));
      },
      async () => {
        const task = await taskRef(stack, main.id, input.ExportTaskIdentifier);
        await handlers(stack).onPartitionExported(partitionExported(task, 0, 2, 1000));
        await handlers(stack).onTaskCompleted(taskCompleted(task, 2000));
      },
    ];
    // Each poll of the watch moves the export one stage on, as the services would between polls.
    const result = await snapex([...startArgs(input), '--watch'], {
      sleep: async () => {
        await steps.shift()?.();
      },
    });
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({
      ExportTaskIdentifier: input.ExportTaskIdentifier,
      Status: 'COMPLETE',
      PercentProgress: 100,
      ExportTime: expect.any(String),
      TaskEndTime: expect.any(String),
    });
    expect(result.stderr.trim().split('\n')).toEqual([
      `${input.ExportTaskIdentifier}: STARTING 0% (0 GB)`,
      `${input.ExportTaskIdentifier}: IN_PROGRESS 0% (0 GB)`,
      `${input.ExportTaskIdentifier}: IN_PROGRESS 49% (0 GB)`,
      `${input.ExportTaskIdentifier}: COMPLETE 100% (0 GB)`,
    ]);
  });

  it('exits non-zero when a watched task fails', async () => {
    const input = startInput(stack, main, { SourceArn: clusterArn(main.id, 'ops') });
    expect((await snapex(startArgs(input))).code).toBe(0);
    const result = await snapex(
      ['describe-export-tasks', '--export-task-identifier', input.ExportTaskIdentifier, '--watch'],
      { sleep: () => failTask(stack, main, input.ExportTaskIdentifier) },
    );
    expect(result.code).toBe(1);
    expect(JSON.parse(result.stdout)).toMatchObject({
      Status: 'FAILED',
      FailureCause: 'An unknown internal error occurred.',
    });
  });
});
