import { Inject, Injectable } from '@nestjs/common';
import { AwsClients, exportRoleOf } from '@snapex/aws';
import { ExportTask, Fault } from '@snapex/contracts';
import { restoreExport, RestoreProgress, S3ExportSource, targetFor } from '@snapex/export-restore';
import { Logger } from '@snapex/logging';
import { SnapexConfig } from '@snapex/config';
import { CONFIG, LOGGER } from '@snapex/service';

export interface ExportTaskRestore {
  ExportTaskIdentifier: string;
  Status: 'IN_PROGRESS' | 'COMPLETE' | 'FAILED';
  TablesRestored: number;
  TablesTotal: number;
  RowsRestored: number;
  RowsTotal: number;
  RestoreStartTime: string;
  RestoreEndTime?: string;
  FailureCause?: string;
}

export interface RestoreRequest {
  targetUrl: string;
  only?: string[];
  concurrency?: number;
}

const DEFAULT_CONCURRENCY = 4;

/**
 * Restores run by this gateway, by account and export: each reads the export's files as the export's
 * own role and writes the target database in the background. They are kept in this process only.
 */
@Injectable()
export class ExportRestores {
  private readonly restores = new Map<string, ExportTaskRestore>();

  constructor(
    @Inject(AwsClients) private readonly aws: AwsClients,
    @Inject(LOGGER) private readonly logger: Logger,
    @Inject(CONFIG) private readonly config: SnapexConfig,
  ) {}

  /** Restores connect to whatever database a caller names: off unless the operator turned them on. */
  assertEnabled(): void {
    if (!this.config.gateway.restoreExports)
      throw new Fault(
        'InvalidAction',
        'RestoreExportTask is not enabled on this gateway (gateway.restoreExports).',
      );
  }

  start(accountId: string, task: ExportTask, request: RestoreRequest): ExportTaskRestore {
    this.assertEnabled();
    if (task.Status !== 'COMPLETE')
      throw new Fault(
        'InvalidExportTaskStateFault',
        `The export task ${task.ExportTaskIdentifier} is ${task.Status}; only a COMPLETE export can be restored.`,
      );
    const key = JSON.stringify([accountId, task.ExportTaskIdentifier]);
    if (this.restores.get(key)?.Status === 'IN_PROGRESS')
      throw new Fault(
        'InvalidExportTaskStateFault',
        `A restore of the export task ${task.ExportTaskIdentifier} is already in progress.`,
      );
    const restore: ExportTaskRestore = {
      ExportTaskIdentifier: task.ExportTaskIdentifier,
      Status: 'IN_PROGRESS',
      TablesRestored: 0,
      TablesTotal: 0,
      RowsRestored: 0,
      RowsTotal: 0,
      RestoreStartTime: new Date().toISOString(),
    };
    this.restores.set(key, restore);
    void this.run(accountId, task, request, restore);
    return { ...restore };
  }

  describe(accountId: string, exportTaskIdentifier: string): ExportTaskRestore {
    const restore = this.restores.get(JSON.stringify([accountId, exportTaskIdentifier]));
    if (!restore)
      throw new Fault(
        'ExportTaskNotFound',
        `No restore of the export task ${exportTaskIdentifier} was started.`,
      );
    return { ...restore };
  }

  private async run(
    accountId: string,
    task: ExportTask,
    request: RestoreRequest,
    restore: ExportTaskRestore,
  ): Promise<void> {
    const log = this.logger.child({ accountId, exportTaskIdentifier: task.ExportTaskIdentifier });
    const role = exportRoleOf({ iamRoleArn: task.IamRoleArn, accountId, sourceArn: task.SourceArn });
    const progress = (update: RestoreProgress) =>
      Object.assign(restore, {
        TablesRestored: update.tablesDone,
        TablesTotal: update.tablesTotal,
        RowsRestored: update.rowsDone,
        RowsTotal: update.rowsTotal,
      });
    try {
      log.info('restore started');
      const restored = await restoreExport({
        source: new S3ExportSource(this.aws.forRole(role).s3, {
          bucket: task.S3Bucket,
          s3Prefix: task.S3Prefix,
          exportTaskIdentifier: task.ExportTaskIdentifier,
        }),
        openTarget: targetFor(request.targetUrl),
        concurrency: request.concurrency ?? DEFAULT_CONCURRENCY,
        only: request.only,
        onProgress: progress,
      });
      Object.assign(restore, { Status: 'COMPLETE', TablesTotal: restored.length });
      log.info({ tables: restored.length, rows: restore.RowsRestored }, 'restore complete');
    } catch (error) {
      Object.assign(restore, {
        Status: 'FAILED',
        FailureCause: error instanceof Error ? error.message : String(error),
      });
      log.warn({ err: error }, 'restore failed');
    } finally {
      restore.RestoreEndTime = new Date().toISOString();
    }
  }
}
