import { Controller, Get, HttpCode, Inject, Param, Post, Req } from '@nestjs/common';
import { ExportTask, Fault, perTableStatus } from '@snapex/contracts';
import { accountOf, rawBodyOf } from '../http/authentication.middleware';
import { parseJsonObject } from '../http/json-body';
import { GatewayRequest } from '../http/request-context';
import { Action } from './action';
import { ExportRestores, ExportTaskRestore } from './export-restores';
import {
  CancelExportTaskBody,
  DescribeExportTaskRestoreBody,
  DescribeExportTasksBody,
  ExportTaskPath,
  RestoreExportTaskBody,
  StartExportTaskBody,
} from './input-schemas';
import { parseInput } from './parse-input';
import { DescribeExportTasksResult, RegistryClient } from './registry.client';

/** The RDS export actions as JSON over HTTP: one POST per action, bodies and answers with RDS's names. */
@Controller('v1')
export class ExportTasksController {
  constructor(
    @Inject(RegistryClient) private readonly registry: RegistryClient,
    @Inject(ExportRestores) private readonly restores: ExportRestores,
  ) {}

  @Post('StartExportTask')
  @HttpCode(200)
  @Action('StartExportTask')
  startExportTask(@Req() request: GatewayRequest): Promise<ExportTask> {
    const input = parseInput(StartExportTaskBody, jsonBodyOf(request));
    return this.registry.startExportTask(accountOf(request), input);
  }

  @Post('DescribeExportTasks')
  @HttpCode(200)
  @Action('DescribeExportTasks')
  describeExportTasks(@Req() request: GatewayRequest): Promise<DescribeExportTasksResult> {
    const input = parseInput(DescribeExportTasksBody, jsonBodyOf(request));
    return this.registry.describeExportTasks(accountOf(request), input);
  }

  @Post('CancelExportTask')
  @HttpCode(200)
  @Action('CancelExportTask')
  cancelExportTask(@Req() request: GatewayRequest): Promise<ExportTask> {
    const input = parseInput(CancelExportTaskBody, jsonBodyOf(request));
    return this.registry.cancelExportTask(accountOf(request), input.ExportTaskIdentifier);
  }

  /** snapex's own: recreate a COMPLETE export's tables and rows in a database, in the background. */
  @Post('RestoreExportTask')
  @HttpCode(200)
  @Action('RestoreExportTask')
  async restoreExportTask(@Req() request: GatewayRequest): Promise<ExportTaskRestore> {
    const input = parseInput(RestoreExportTaskBody, jsonBodyOf(request));
    this.restores.assertEnabled();
    const account = accountOf(request);
    const { ExportTasks } = await this.registry.describeExportTasks(account, {
      ExportTaskIdentifier: input.ExportTaskIdentifier,
    });
    if (ExportTasks.length === 0)
      throw new Fault(
        'ExportTaskNotFound',
        `The export task with the ID ${input.ExportTaskIdentifier} is not found.`,
      );
    return this.restores.start(account, ExportTasks[0], {
      targetUrl: input.TargetUrl,
      only: input.Only,
      concurrency: input.Concurrency,
    });
  }

  /** snapex's own: how far the restore of an export has come. */
  @Post('DescribeExportTaskRestore')
  @HttpCode(200)
  @Action('DescribeExportTaskRestore')
  describeExportTaskRestore(@Req() request: GatewayRequest): ExportTaskRestore {
    const input = parseInput(DescribeExportTaskRestoreBody, jsonBodyOf(request));
    return this.restores.describe(accountOf(request), input.ExportTaskIdentifier);
  }

  /** One task by its identifier, for callers that prefer a plain GET. */
  @Get('export-tasks/:id')
  @Action('DescribeExportTask')
  async describeExportTask(
    @Req() request: GatewayRequest,
    @Param('id') identifier: string,
  ): Promise<ExportTask> {
    const input = parseInput(ExportTaskPath, { ExportTaskIdentifier: identifier });
    const result = await this.registry.describeExportTasks(accountOf(request), input);
    return result.ExportTasks[0];
  }

  /**
   * One task's tables as they stand, each entry as export_tables_info will describe it: planned,
   * running and done tables alike, readable while the export runs.
   */
  @Get('export-tasks/:id/tables')
  @Action('DescribeExportTables')
  async describeExportTables(@Req() request: GatewayRequest, @Param('id') identifier: string) {
    const input = parseInput(ExportTaskPath, { ExportTaskIdentifier: identifier });
    const tables = await this.registry.describeExportTables(accountOf(request), input.ExportTaskIdentifier);
    return { ExportTaskIdentifier: input.ExportTaskIdentifier, perTableStatus: tables.map(perTableStatus) };
  }
}

function jsonBodyOf(request: GatewayRequest): Record<string, unknown> {
  return parseJsonObject(rawBodyOf(request).toString('utf8'));
}
