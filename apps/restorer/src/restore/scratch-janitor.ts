import { Inject, Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { RetryableError, RpcClient } from '@snapex/bus';
import { ScratchServerCatalogue, ScratchServerConfig } from '@snapex/config';
import { ExportTaskStatus, Fault, GetTaskStatusRpc, TERMINAL_STATUSES } from '@snapex/contracts';
import { Logger } from '@snapex/logging';
import { LOGGER } from '@snapex/service';
import { ScratchDatabaseNames } from './scratch-database-names';
import { SCRATCH_ENGINES, ScratchEngineLookup } from './scratch-engines';

const ORPHAN_SWEEP_ATTEMPTS = 30;
const ORPHAN_SWEEP_RETRY_MS = 2000;
const ORPHAN_SWEEP_INTERVAL_MS = 15 * 60_000;

/**
 * Drops scratch databases once nothing can need them: when their task ends, and at start-up and every
 * quarter of an hour for tasks that ended (or were forgotten) while no restorer was listening, or whose
 * drop failed. It finds them by name on the servers, so it needs no memory of its own and works the
 * same after a restart.
 */
@Injectable()
export class ScratchJanitor implements OnApplicationBootstrap, OnApplicationShutdown {
  private stopping = false;
  private sweep: Promise<void> | undefined;
  private sweepTimer: NodeJS.Timeout | undefined;

  constructor(
    @Inject(LOGGER) private readonly logger: Logger,
    @Inject(ScratchDatabaseNames) private readonly names: ScratchDatabaseNames,
    @Inject(ScratchServerCatalogue) private readonly servers: ScratchServerCatalogue,
    @Inject(RpcClient) private readonly rpc: RpcClient,
    @Inject(SCRATCH_ENGINES) private readonly engines: ScratchEngineLookup,
  ) {}

  /** Drops every scratch database of the task, on every server. */
  async dropTaskCopies(taskId: string): Promise<void> {
    const prefix = this.names.taskPrefix(taskId);
    for (const server of this.servers.all) {
      for (const database of await this.engines(server.engine).listDatabases(server, prefix)) {
        await this.drop(server, database, taskId);
      }
    }
  }

  onApplicationBootstrap(): void {
    // In the background: the registry this asks may start after this service.
    this.sweep = this.dropOrphansWhenRegistryAnswers();
    this.sweepTimer = setInterval(() => {
      this.sweep = this.dropOrphansWhenRegistryAnswers();
    }, ORPHAN_SWEEP_INTERVAL_MS);
    this.sweepTimer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopping = true;
    clearInterval(this.sweepTimer);
    await this.sweep;
  }

  /** Drops the scratch databases of tasks that are over or unknown to the registry; returns how many. */
  async dropOrphans(): Promise<number> {
    let dropped = 0;
    for (const server of this.servers.all) {
      for (const database of await this.scratchDatabasesOn(server)) {
        const taskId = this.names.taskIdOf(database);
        if (taskId === null || !(await this.isOver(taskId))) continue;
        await this.drop(server, database, taskId);
        dropped++;
      }
    }
    return dropped;
  }

  private async dropOrphansWhenRegistryAnswers(): Promise<void> {
    for (let attempt = 1; attempt <= ORPHAN_SWEEP_ATTEMPTS && !this.stopping; attempt++) {
      try {
        const dropped = await this.dropOrphans();
        this.logger.info({ dropped }, 'dropped scratch databases of tasks that are over');
        return;
      } catch (error) {
        const retry = error instanceof RetryableError;
        this.logger.warn({ err: error, attempt }, 'could not sweep scratch databases');
        if (!retry) return;
        await new Promise((resolve) => setTimeout(resolve, ORPHAN_SWEEP_RETRY_MS));
      }
    }
  }

  private async scratchDatabasesOn(server: ScratchServerConfig): Promise<string[]> {
    try {
      return await this.engines(server.engine).listDatabases(server, this.names.prefix);
    } catch (error) {
      this.logger.warn({ err: error, scratchServer: server.name }, 'scratch server unreachable; not swept');
      return [];
    }
  }

  private async isOver(taskId: string): Promise<boolean> {
    let status: ExportTaskStatus;
    try {
      ({ status } = await this.rpc.call(GetTaskStatusRpc, { taskId }));
    } catch (error) {
      if (error instanceof Fault && error.code === 'ExportTaskNotFound') return true;
      throw error;
    }
    return TERMINAL_STATUSES.includes(status);
  }

  private async drop(server: ScratchServerConfig, database: string, taskId: string): Promise<void> {
    await this.engines(server.engine).dropDatabase({ server, database });
    this.logger.info(
      { taskId, scratchServer: server.name, scratchDatabase: database },
      'dropped a scratch database',
    );
  }
}
