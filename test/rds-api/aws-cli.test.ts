import { execFile, spawnSync } from 'node:child_process';
import { promisify } from 'node:util';
import { StartExportTaskCommand } from '@aws-sdk/client-rds';
import {
  clusterArn,
  failTask,
  newIdentifier,
  RdsAccount,
  RdsStack,
  REGION,
  startInput,
  startRdsStack,
} from './rds-stack';

const run = promisify(execFile);
const awsAvailable = spawnSync('aws', ['--version'], { stdio: 'ignore' }).status === 0;
if (!awsAvailable) {
  console.warn('aws-cli.test.ts: skipped, the AWS CLI (`aws`) is not on PATH');
}

interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

(awsAvailable ? describe : describe.skip)(
  'the AWS CLI against snapex, unchanged but for --endpoint-url',
  () => {
    let stack: RdsStack;
    let main: RdsAccount;

    beforeAll(async () => {
      stack = await startRdsStack();
      [main] = stack.accounts;
    });

    afterAll(async () => {
      await stack?.stop();
    });

    async function aws(...args: string[]): Promise<CliResult> {
      const env = {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        AWS_ACCESS_KEY_ID: main.accessKeyId,
        AWS_SECRET_ACCESS_KEY: main.secretAccessKey,
        AWS_DEFAULT_REGION: REGION,
        AWS_CONFIG_FILE: '/dev/null',
        AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
        AWS_PAGER: '',
        AWS_MAX_ATTEMPTS: '1',
      };
      try {
        const { stdout, stderr } = await run('aws', ['rds', ...args, '--endpoint-url', stack.baseUrl], {
          env,
        });
        return { code: 0, stdout, stderr };
      } catch (error) {
        const failed = error as { code: number; stdout: string; stderr: string };
        return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
      }
    }

    it('starts, describes (with filters) and cancels an export task', async () => {
      const input = startInput(stack, main, { SourceArn: clusterArn(main.id, 'billing') });
      const started = await aws(
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
        '--s3-prefix',
        'nightly',
        '--export-only',
        'shop',
        'shop.public.orders',
      );
      expect(started.code).toBe(0);
      expect(JSON.parse(started.stdout)).toMatchObject({
        ExportTaskIdentifier: input.ExportTaskIdentifier,
        SourceArn: input.SourceArn,
        ExportOnly: ['shop', 'shop.public.orders'],
        S3Bucket: input.S3BucketName,
        S3Prefix: 'nightly',
        Status: 'STARTING',
        PercentProgress: 0,
        TotalExtractedDataInGB: 0,
        SourceType: 'CLUSTER',
      });

      const described = await aws(
        'describe-export-tasks',
        '--filters',
        'Name=status,Values=starting,in_progress',
        `Name=source-arn,Values=${input.SourceArn}`,
      );
      expect(described.code).toBe(0);
      expect(JSON.parse(described.stdout).ExportTasks.map((task: any) => task.ExportTaskIdentifier)).toEqual([
        input.ExportTaskIdentifier,
      ]);

      const canceled = await aws(
        'cancel-export-task',
        '--export-task-identifier',
        input.ExportTaskIdentifier,
      );
      expect(canceled.code).toBe(0);
      expect(JSON.parse(canceled.stdout)).toMatchObject({ Status: 'CANCELING' });
    });

    it('pages through more than 100 tasks by itself', async () => {
      const label = newIdentifier(stack, 'cli');
      const client = stack.rds(main);
      for (let index = 0; index < 102; index++) {
        const input = startInput(stack, main, {
          ExportTaskIdentifier: `${label}-${index}`,
          SourceArn: clusterArn(main.id, 'web'),
        });
        await client.send(new StartExportTaskCommand(input));
        await failTask(stack, main, input.ExportTaskIdentifier);
      }
      const described = await aws('describe-export-tasks', '--filters', 'Name=status,Values=failed');
      expect(described.code).toBe(0);
      const identifiers = JSON.parse(described.stdout).ExportTasks.map(
        (task: any) => task.ExportTaskIdentifier,
      );
      expect(identifiers.filter((identifier: string) => identifier.startsWith(`${label}-`))).toHaveLength(
        102,
      );
    });

    it('manages event subscriptions and lists events', async () => {
      const topic = `arn:aws:sns:${REGION}:${main.id}:export-events`;
      const created = await aws(
        'create-event-subscription',
        '--subscription-name',
        'cli-exports',
        '--sns-topic-arn',
        topic,
        '--source-type',
        'db-cluster',
        '--source-ids',
        'orders',
        'billing',
        '--event-categories',
        'notification',
        '--no-enabled',
      );
      expect(created.code).toBe(0);
      expect(JSON.parse(created.stdout).EventSubscription).toMatchObject({
        CustomerAwsId: main.id,
        CustSubscriptionId: 'cli-exports',
        SnsTopicArn: topic,
        Status: 'active',
        SourceType: 'db-cluster',
        SourceIdsList: ['orders', 'billing'],
        EventCategoriesList: ['notification'],
        Enabled: false,
        EventSubscriptionArn: `arn:aws:rds:${REGION}:${main.id}:es:cli-exports`,
      });
      const modified = await aws(
        'modify-event-subscription',
        '--subscription-name',
        'cli-exports',
        '--enabled',
      );
      expect(JSON.parse(modified.stdout).EventSubscription.Enabled).toBe(true);
      const described = await aws('describe-event-subscriptions');
      expect(
        JSON.parse(described.stdout).EventSubscriptionsList.map((item: any) => item.CustSubscriptionId),
      ).toContain('cli-exports');
      const again = await aws(
        'create-event-subscription',
        '--subscription-name',
        'cli-exports',
        '--sns-topic-arn',
        topic,
      );
      expect(again.stderr).toContain(
        'An error occurred (SubscriptionAlreadyExist) when calling the CreateEventSubscription operation: Subscription cli-exports already exists.',
      );
      expect((await aws('delete-event-subscription', '--subscription-name', 'cli-exports')).code).toBe(0);
      const gone = await aws('delete-event-subscription', '--subscription-name', 'cli-exports');
      expect(gone.stderr).toContain('An error occurred (SubscriptionNotFound)');
      const events = await aws('describe-events', '--source-type', 'db-cluster', '--duration', '60');
      expect(events.code).toBe(0);
      expect(JSON.parse(events.stdout).Events).toEqual([]);
    });

    it('reports faults as the AWS CLI reports RDS’s own', async () => {
      const input = startInput(stack, main, { SourceArn: clusterArn(main.id, 'crm') });
      const args = [
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
      expect((await aws(...args)).code).toBe(0);
      await failTask(stack, main, input.ExportTaskIdentifier);
      const again = await aws(...args);
      expect(again.code).not.toBe(0);
      expect(again.stderr).toContain(
        `An error occurred (ExportTaskAlreadyExists) when calling the StartExportTask operation: The export task with the ID ${input.ExportTaskIdentifier} already exists.`,
      );
      const unknown = await aws('cancel-export-task', '--export-task-identifier', 'never-started');
      expect(unknown.stderr).toContain(
        "An error occurred (ExportTaskNotFound) when calling the CancelExportTask operation: The export task with the ID never-started can't be found.",
      );
    });
  },
);
