import { Inject, Injectable } from '@nestjs/common';
import { awsErrorCode, isTransientAwsError } from '@snapex/aws';
import { EventPublisher, RetryableError, RpcClient } from '@snapex/bus';
import {
  eventIdFor,
  exportInfoKey,
  exportTablesInfoKey,
  GetExportReportRpc,
  perTableStatus,
  successMarkerKey,
  tableDefinitionsKey,
  TaskCompleted,
  taskEventFields,
  TaskFailed,
  TableReport,
  TaskSpec,
} from '@snapex/contracts';
import { Logger } from '@snapex/logging';
import { LOGGER } from '@snapex/service';
import { schemaOnlyPart } from '@snapex/parquet';
import { emptyTablePartKey, exportInfo, movedFolder, tableChunks, wholeGb } from './export-metadata';
import { athenaDefinitions, definedTables, duckdbDefinitions } from './table-definitions';
import { metadataFailureCause } from './metadata-failures';
import { MetadataRepository } from './metadata.repository';

const TABLES_PER_INFO_FILE = 500;
const SQL = 'application/sql; charset=utf-8';

/**
 * The last stage of an export: a _SUCCESS marker in every finished table's folder, the tables
 * files, then export_info; only then is the task COMPLETE. Rewriting the same keys on a
 * redelivered event is harmless.
 */
@Injectable()
export class WriteExportMetadata {
  constructor(
    @Inject(RpcClient) private readonly rpc: RpcClient,
    @Inject(MetadataRepository) private readonly metadata: MetadataRepository,
    @Inject(EventPublisher) private readonly publisher: EventPublisher,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async execute(spec: TaskSpec): Promise<void> {
    const log = this.logger.child({ taskId: spec.taskId, exportTaskIdentifier: spec.exportTaskIdentifier });
    const report = await this.rpc.call(GetExportReportRpc, { taskId: spec.taskId });
    if (report.task.Status !== 'IN_PROGRESS') {
      log.info({ status: report.task.Status }, 'task is no longer in progress; no metadata written');
      return;
    }
    const taskEndTime = new Date().toISOString();
    try {
      await this.removeFilesOfSkippedTables(spec, report.tables, log);
      await this.writeSchemaOfEmptyTables(spec, report.tables, log);
      log.info({ step: 1, tables: report.tables.length }, 'writing _SUCCESS markers');
      for (const table of report.tables) {
        if (table.status === 'COMPLETE' && table.tableKeyPrefix) {
          await this.metadata.put(
            spec,
            successMarkerKey(table.tableKeyPrefix),
            '',
            'application/octet-stream',
          );
        }
      }
      log.info({ step: 2 }, 'writing export_tables_info');
      for (const chunk of tableChunks(report.tables, TABLES_PER_INFO_FILE)) {
        const body = JSON.stringify({
          perTableStatus: chunk.tables.map((table) => ({
            ...perTableStatus(table),
            ...movedFolder(spec, table),
          })),
        });
        await this.metadata.put(
          spec,
          exportTablesInfoKey(spec.s3Prefix, spec.exportTaskIdentifier, chunk.from, chunk.to),
          body,
        );
      }
      log.info({ step: 3 }, 'writing table definitions');
      const tables = definedTables(report.tables);
      await this.metadata.put(
        spec,
        tableDefinitionsKey(spec.s3Prefix, spec.exportTaskIdentifier, 'athena'),
        athenaDefinitions(spec.s3Bucket, tables),
        SQL,
      );
      await this.metadata.put(
        spec,
        tableDefinitionsKey(spec.s3Prefix, spec.exportTaskIdentifier, 'duckdb'),
        duckdbDefinitions(spec.s3Bucket, tables),
        SQL,
      );
      log.info({ step: 4 }, 'writing export_info');
      const info = JSON.stringify(exportInfo(report, taskEndTime));
      await this.metadata.put(spec, exportInfoKey(spec.s3Prefix, spec.exportTaskIdentifier), info);
    } catch (error) {
      if (isTransientAwsError(error))
        throw new RetryableError(`metadata write: ${awsErrorCode(error)}`, 2000, { cause: error });
      log.error({ err: error }, 'metadata write refused');
      await this.fail(spec, error);
      return;
    }
    await this.publisher.publish(TaskCompleted, {
      ...taskEventFields(spec),
      eventId: eventIdFor(TaskCompleted, spec.taskId),
      taskEndTime,
      totalExtractedDataInGB: wholeGb(report.totalBytes),
      totalBytes: report.totalBytes,
    });
    log.info({ totalBytes: report.totalBytes }, 'export complete');
  }

  /** A finished table without rows gets a part with its columns and no rows, so that readers see its schema. */
  private async writeSchemaOfEmptyTables(spec: TaskSpec, tables: TableReport[], log: Logger): Promise<void> {
    const empty = tables.filter(
      (table) =>
        table.status === 'COMPLETE' &&
        table.rowCount === 0 &&
        table.tableKeyPrefix &&
        table.columns.length > 0,
    );
    if (empty.length === 0) return;
    log.info({ step: 0, tables: empty.length }, 'writing schema-only parts of empty tables');
    for (const table of empty) {
      const key = emptyTablePartKey(spec, table);
      await this.metadata.put(
        spec,
        key,
        Buffer.from(schemaOnlyPart(table.columns)),
        'application/octet-stream',
      );
    }
  }

  /** A table skipped after some of its partitions were written (a row too large) keeps no data. */
  private async removeFilesOfSkippedTables(
    spec: TaskSpec,
    tables: TableReport[],
    log: Logger,
  ): Promise<void> {
    const keys = tables.filter((table) => table.status === 'SKIPPED').flatMap((table) => table.objectKeys);
    if (keys.length === 0) return;
    log.info({ step: 0, objects: keys.length }, 'removing files of tables skipped during extraction');
    for (const key of keys) await this.metadata.remove(spec, key);
  }

  private async fail(spec: TaskSpec, error: unknown): Promise<void> {
    const failureCause = metadataFailureCause(error, spec);
    await this.publisher.publish(TaskFailed, {
      ...taskEventFields(spec),
      eventId: eventIdFor(TaskFailed, spec.taskId, 'METADATA'),
      stage: 'METADATA',
      failureCause,
    });
  }
}
