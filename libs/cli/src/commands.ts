import {
  CancelExportTaskCommand,
  DBSnapshot,
  DescribeDBSnapshotsCommand,
  DescribeDBSnapshotsCommandInput,
  DescribeExportTasksCommand,
  DescribeExportTasksCommandInput,
  ExportSourceType,
  ExportTask,
  paginateDescribeDBSnapshots,
  paginateDescribeExportTasks,
  RDSClient,
  StartExportTaskCommand,
} from '@aws-sdk/client-rds';
import { parseFilters, parseMaxRecords, UsageError } from './arguments';
import { progressViewFor, ProgressStream } from './progress-view';
import { formatJson, taskJson } from './task-json';
import { watchTask, WatchSettings } from './watch';

/** The AWS CLI's exit codes: 254 when the service refused, 252 for a bad command line. */
export const EXIT = { ok: 0, taskDidNotSucceed: 1, usage: 252, configuration: 253, service: 254, other: 255 };

export interface CommandIo {
  stdout: ProgressStream;
  stderr: ProgressStream;
  watch: WatchSettings;
}

/** A service call that failed, with the operation it was, for the AWS CLI's error line. */
export class OperationError extends Error {
  constructor(
    readonly operation: string,
    readonly failure: unknown,
  ) {
    super(failure instanceof Error ? failure.message : String(failure));
    this.name = 'OperationError';
  }
}

async function call<T>(operation: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw new OperationError(operation, error);
  }
}

export interface StartOptions {
  exportTaskIdentifier: string;
  sourceArn: string;
  s3BucketName: string;
  iamRoleArn: string;
  kmsKeyId: string;
  s3Prefix?: string;
  exportOnly?: string[];
  watch?: boolean;
}

export async function startExportTask(
  client: RDSClient,
  options: StartOptions,
  io: CommandIo,
): Promise<number> {
  const task = await call('StartExportTask', () =>
    client.send(
      new StartExportTaskCommand({
        ExportTaskIdentifier: options.exportTaskIdentifier,
        SourceArn: options.sourceArn,
        S3BucketName: options.s3BucketName,
        IamRoleArn: options.iamRoleArn,
        KmsKeyId: options.kmsKeyId,
        S3Prefix: options.s3Prefix,
        ExportOnly: options.exportOnly,
      }),
    ),
  );
  if (options.watch) return follow(client, options.exportTaskIdentifier, 'COMPLETE', io);
  return printTask(task, io);
}

export interface DescribeOptions {
  exportTaskIdentifier?: string;
  sourceArn?: string;
  sourceType?: string;
  filters?: string[];
  marker?: string;
  maxRecords?: string;
  paginate: boolean;
  watch?: boolean;
}

export async function describeExportTasks(
  client: RDSClient,
  options: DescribeOptions,
  io: CommandIo,
): Promise<number> {
  if (options.watch) {
    if (!options.exportTaskIdentifier) throw new UsageError('--watch needs --export-task-identifier.');
    return follow(client, options.exportTaskIdentifier, 'COMPLETE', io);
  }
  const input: DescribeExportTasksCommandInput = {
    ExportTaskIdentifier: options.exportTaskIdentifier,
    SourceArn: options.sourceArn,
    SourceType: options.sourceType as ExportSourceType | undefined,
    Filters: options.filters ? parseFilters(options.filters) : undefined,
    Marker: options.marker,
    MaxRecords: options.maxRecords === undefined ? undefined : parseMaxRecords(options.maxRecords),
  };
  // Like the AWS CLI, every page is fetched unless the caller pages by hand.
  const result =
    options.paginate && options.marker === undefined
      ? { ExportTasks: await call('DescribeExportTasks', () => allTasks(client, input)) }
      : await call('DescribeExportTasks', () => client.send(new DescribeExportTasksCommand(input)));
  io.stdout.write(
    formatJson({
      ExportTasks: (result.ExportTasks ?? []).map(taskJson),
      ...('Marker' in result && result.Marker ? { Marker: result.Marker } : {}),
    }),
  );
  return EXIT.ok;
}

async function allTasks(client: RDSClient, input: DescribeExportTasksCommandInput): Promise<ExportTask[]> {
  const tasks: ExportTask[] = [];
  for await (const page of paginateDescribeExportTasks({ client }, input))
    tasks.push(...(page.ExportTasks ?? []));
  return tasks;
}

export interface DescribeSnapshotsOptions {
  dbSnapshotIdentifier?: string;
  dbInstanceIdentifier?: string;
  snapshotType?: string;
  filters?: string[];
  marker?: string;
  maxRecords?: string;
  paginate: boolean;
}

export async function describeDbSnapshots(
  client: RDSClient,
  options: DescribeSnapshotsOptions,
  io: CommandIo,
): Promise<number> {
  const input: DescribeDBSnapshotsCommandInput = {
    DBSnapshotIdentifier: options.dbSnapshotIdentifier,
    DBInstanceIdentifier: options.dbInstanceIdentifier,
    SnapshotType: options.snapshotType,
    Filters: options.filters ? parseFilters(options.filters) : undefined,
    Marker: options.marker,
    MaxRecords: options.maxRecords === undefined ? undefined : parseMaxRecords(options.maxRecords),
  };
  const result =
    options.paginate && options.marker === undefined
      ? { DBSnapshots: await call('DescribeDBSnapshots', () => allSnapshots(client, input)) }
      : await call('DescribeDBSnapshots', () => client.send(new DescribeDBSnapshotsCommand(input)));
  // Times print as ISO 8601, as the AWS CLI prints them.
  io.stdout.write(
    formatJson({
      DBSnapshots: result.DBSnapshots ?? [],
      ...('Marker' in result && result.Marker ? { Marker: result.Marker } : {}),
    }),
  );
  return EXIT.ok;
}

async function allSnapshots(
  client: RDSClient,
  input: DescribeDBSnapshotsCommandInput,
): Promise<DBSnapshot[]> {
  const snapshots: DBSnapshot[] = [];
  for await (const page of paginateDescribeDBSnapshots({ client }, input))
    snapshots.push(...(page.DBSnapshots ?? []));
  return snapshots;
}

export interface CancelOptions {
  exportTaskIdentifier: string;
  watch?: boolean;
}

export async function cancelExportTask(
  client: RDSClient,
  options: CancelOptions,
  io: CommandIo,
): Promise<number> {
  const task = await call('CancelExportTask', () =>
    client.send(new CancelExportTaskCommand({ ExportTaskIdentifier: options.exportTaskIdentifier })),
  );
  if (options.watch) return follow(client, options.exportTaskIdentifier, 'CANCELED', io);
  return printTask(task, io);
}

function printTask(task: ExportTask, io: CommandIo): number {
  io.stdout.write(formatJson(taskJson(task)));
  return EXIT.ok;
}

/** Progress goes to stderr; the task as it ended to stdout. Exits 0 only if it ended as hoped. */
async function follow(client: RDSClient, identifier: string, hoped: string, io: CommandIo): Promise<number> {
  const task = await call('DescribeExportTasks', () =>
    watchTask(client, identifier, progressViewFor(io.stderr), io.watch),
  );
  printTask(task, io);
  return task.Status === hoped ? EXIT.ok : EXIT.taskDidNotSucceed;
}
