import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import {
  eventIdFor,
  ExportTask,
  Fault,
  StartExportTaskInput,
  TaskStarted,
  taskEventFields,
} from '@snapex/contracts';
import { AccountTrust, SourceCatalogue } from '@snapex/config';
import { Connection, isUniqueViolation, RegistryDatabase } from '../database/registry-database';
import { OutboxRelay } from '../outbox/outbox-relay';
import { OutboxRepository } from '../outbox/outbox.repository';
import { REGISTRY_SETTINGS, RegistrySettings } from '../registry-settings';
import { toExportTask } from '../tasks/export-task-view';
import { specOf, TaskRecord } from '../tasks/task-record';
import { NewTask, TaskRepository } from '../tasks/task.repository';
import { SnapshotExportSource } from '../snapshots/snapshot-export-source';
import { checkResourceAccounts } from './resource-accounts';
import { ResolvedSource, resolveSource } from './source-arn';
import { ValidatedStart, validateStartInput } from './start-export-task.rules';

/** StartExportTask: checks the request, then records a STARTING task and announces TaskStarted. */
@Injectable()
export class StartExportTaskUseCase {
  constructor(
    @Inject(RegistryDatabase) private readonly database: RegistryDatabase,
    @Inject(TaskRepository) private readonly tasks: TaskRepository,
    @Inject(OutboxRepository) private readonly outbox: OutboxRepository,
    @Inject(OutboxRelay) private readonly relay: OutboxRelay,
    @Inject(SourceCatalogue) private readonly catalogue: SourceCatalogue,
    @Inject(AccountTrust) private readonly trust: AccountTrust,
    @Inject(REGISTRY_SETTINGS) private readonly settings: RegistrySettings,
    @Inject(SnapshotExportSource) private readonly snapshots: SnapshotExportSource,
  ) {}

  async execute(accountId: string, input: StartExportTaskInput): Promise<ExportTask> {
    const valid = validateStartInput(input, this.settings.outputDefaults);
    checkResourceAccounts(accountId, valid, this.trust);
    const source = resolveSource(
      valid.sourceArn,
      { accountId, region: this.settings.region },
      this.catalogue,
    );
    const created = await this.database.transaction(async (tx) => {
      const task = newTask(accountId, valid, await this.sourceOfTask(tx, accountId, source));
      await this.tasks.lockAccount(tx, accountId);
      await this.checkAccountState(tx, task);
      const record = await this.insert(tx, task);
      await this.announce(tx, record);
      return record;
    });
    this.relay.kick();
    return toExportTask(created);
  }

  /** What the task reads: a live cluster, or an available snapshot of the caller's. */
  private async sourceOfTask(
    tx: Connection,
    accountId: string,
    resolved: ResolvedSource,
  ): Promise<TaskSource> {
    if (resolved.sourceType === 'CLUSTER') {
      const { name, engine } = resolved.source;
      return { sourceType: 'CLUSTER', sourceName: name, engine, snapshot: null };
    }
    const { kind, identifier } = resolved.snapshot;
    return { sourceType: 'SNAPSHOT', ...(await this.snapshots.resolve(tx, accountId, kind, identifier)) };
  }

  private async checkAccountState(tx: Connection, task: NewTask): Promise<void> {
    if (await this.tasks.identifierExists(tx, task.accountId, task.exportTaskIdentifier)) {
      throw alreadyExists(task.exportTaskIdentifier);
    }
    if (await this.tasks.hasActiveForSource(tx, task.accountId, task.sourceArn)) {
      throw sourceBusy(task.sourceArn);
    }
    const limit = this.settings.maxActiveTasksPerAccount;
    if ((await this.tasks.countActive(tx, task.accountId)) >= limit) {
      throw new Fault(
        'ExportTaskLimitReached',
        `You can't have more than ${limit} export tasks in progress at once in this account. ` +
          'Wait for one to finish, or cancel one, and retry.',
      );
    }
  }

  /** The account lock makes these violations unlikely; the constraints still have the last word. */
  private async insert(tx: Connection, task: NewTask): Promise<TaskRecord> {
    try {
      return await this.tasks.insert(tx, task);
    } catch (error) {
      if (isUniqueViolation(error, 'export_tasks_identifier_per_account')) {
        throw alreadyExists(task.exportTaskIdentifier);
      }
      if (isUniqueViolation(error, 'export_tasks_one_active_per_source')) throw sourceBusy(task.sourceArn);
      throw error;
    }
  }

  private async announce(tx: Connection, task: TaskRecord): Promise<void> {
    await this.outbox.enqueue(tx, TaskStarted, {
      ...taskEventFields(task),
      eventId: eventIdFor(TaskStarted, task.taskId),
      spec: specOf(task),
      taskStartTime: task.taskStartTime.toISOString(),
    });
  }
}

type TaskSource = Pick<NewTask, 'sourceType' | 'sourceName' | 'engine' | 'snapshot'>;

function newTask(accountId: string, valid: ValidatedStart, source: TaskSource): NewTask {
  return {
    taskId: randomUUID(),
    accountId,
    exportTaskIdentifier: valid.exportTaskIdentifier,
    // A snapshot's own ARN (identifiers are lower case), so that "one export per source" and the
    // archive kept for a running export hold however the caller spelled it.
    sourceArn: source.snapshot?.snapshotArn ?? valid.sourceArn.arn,
    ...source,
    s3Bucket: valid.s3Bucket,
    s3Prefix: valid.s3Prefix,
    iamRoleArn: valid.iamRoleArn,
    kmsKeyId: valid.kmsKeyId,
    exportOnly: valid.exportOnly,
    output: valid.output,
    status: 'STARTING',
    taskStartTime: new Date(),
  };
}

function alreadyExists(identifier: string): Fault {
  return new Fault('ExportTaskAlreadyExists', `The export task with the ID ${identifier} already exists.`);
}

function sourceBusy(sourceArn: string): Fault {
  return new Fault('InvalidExportSourceState', `An export task is already running for ${sourceArn}.`);
}
