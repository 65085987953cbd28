import { Inject, Injectable } from '@nestjs/common';
import { RetryableError } from '@snapex/bus';
import {
  ScratchServerCatalogue,
  ScratchServerConfig,
  scratchServerAsSource,
  SourceConfig,
} from '@snapex/config';
import { Engine, SnapshotSource, TaskSpec } from '@snapex/contracts';
import { Logger } from '@snapex/logging';
import { StoppedTasks } from '@snapex/service';
import { DumpFiles } from './dump-files';
import { RestoreFailedError, restoreFailure } from './restore-failures';
import { ScratchDatabaseNames } from './scratch-database-names';
import { ScratchEngine, ScratchTarget } from './scratch-engine';
import { CommandFailedError } from './command';
import { SCRATCH_ENGINES, ScratchEngineLookup } from './scratch-engines';
import { SNAPSHOT_STORE, SnapshotStore } from './snapshot-store';

/** One database of an export and where its data is read. */
export interface ReadTarget {
  /** The database as the export names it: TableRef.database, the S3 layout, export_tables_info. */
  database: string;
  /** Connection settings of the server holding readDatabase. */
  source: SourceConfig;
  readDatabase: string;
  /** The scratch server holding a copy; null when the source itself is read. */
  scratchServer: string | null;
}

export interface ScratchCopiesResult {
  targets: ReadTarget[];
  /** The instant the copies' data is from. */
  exportTime: Date;
}

interface CopyJob {
  database: string;
  ordinal: number;
  bytes: number | null;
  copy(target: ScratchTarget, signal: AbortSignal): Promise<void>;
}

/**
 * Puts the data of an export into scratch databases, one per exported database, named after the task:
 * a snapshot's dumps restored from the snapshot store, or live MySQL databases cloned at a consistent
 * point. With `fresh` each copy is dropped and made again (a first attempt, or one redone after an
 * interrupted restore); without it the copies a finished earlier attempt made are read as they are.
 */
@Injectable()
export class ScratchCopies {
  /** Copies being made, by task, so a cancel or the task's end can stop them mid-way. */
  private readonly inFlight = new Map<string, AbortController>();

  constructor(
    @Inject(ScratchDatabaseNames) private readonly names: ScratchDatabaseNames,
    @Inject(ScratchServerCatalogue) private readonly servers: ScratchServerCatalogue,
    @Inject(SNAPSHOT_STORE) private readonly store: SnapshotStore,
    @Inject(SCRATCH_ENGINES) private readonly engines: ScratchEngineLookup,
    @Inject(StoppedTasks) private readonly stopped: StoppedTasks,
  ) {}

  async restoreSnapshot(
    spec: TaskSpec,
    snapshot: SnapshotSource,
    wanted: (database: string) => boolean,
    fresh: boolean,
    log: Logger,
  ): Promise<ScratchCopiesResult> {
    const engine = this.engines(snapshot.engine);
    const files = new DumpFiles(this.store, snapshot.archive.bucket);
    const jobs = snapshot.archive.dumps.flatMap((dump, index): CopyJob[] =>
      wanted(dump.database)
        ? [
            {
              database: dump.database,
              ordinal: index + 1,
              bytes: dump.bytes,
              copy: (target, signal) => engine.restoreDump(dump, files, target, signal),
            },
          ]
        : [],
    );
    log.info(
      { step: 1, snapshot: snapshot.snapshotArn, databases: jobs.length, fresh },
      'restoring the snapshot into scratch databases',
    );
    const targets = await this.copyAll(spec, snapshot.engine, jobs, fresh, log);
    return { targets, exportTime: new Date(snapshot.snapshotTime) };
  }

  async cloneLive(
    spec: TaskSpec,
    source: SourceConfig,
    databases: string[],
    fresh: boolean,
    log: Logger,
  ): Promise<ScratchCopiesResult> {
    const engine = this.engines(source.engine);
    const jobs = databases.map((database, index): CopyJob => ({
      database,
      ordinal: index + 1,
      bytes: null,
      copy: (target, signal) => engine.cloneDatabase(source, database, target, signal),
    }));
    log.info({ step: 1, source: source.name, databases: jobs.length, fresh }, 'cloning the live databases');
    const exportTime = new Date();
    const targets = await this.copyAll(spec, source.engine, jobs, fresh, log);
    return { targets, exportTime };
  }

  /** Stops the copy the task is making, if any; the copies it made stay until the task ends. */
  abort(taskId: string): void {
    this.inFlight.get(taskId)?.abort();
  }

  private async copyAll(
    spec: TaskSpec,
    engineName: Engine,
    jobs: CopyJob[],
    fresh: boolean,
    log: Logger,
  ): Promise<ReadTarget[]> {
    const server = this.serverFor(engineName);
    const controller = new AbortController();
    this.inFlight.set(spec.taskId, controller);
    try {
      const targets: ReadTarget[] = [];
      for (const job of jobs) {
        if (this.stopped.has(spec.taskId) || controller.signal.aborted) break;
        const target = { server, database: this.names.nameFor(spec.taskId, job.ordinal) };
        if (fresh) await this.copyOne(job, target, engineName, controller.signal, log);
        if (controller.signal.aborted) {
          log.info({ step: 1, database: job.database }, 'stopped copying: the task is canceling or over');
          break;
        }
        targets.push({
          database: job.database,
          source: scratchServerAsSource(server, spec.accountId),
          readDatabase: target.database,
          scratchServer: server.name,
        });
      }
      return targets;
    } finally {
      this.inFlight.delete(spec.taskId);
    }
  }

  /** Makes one copy afresh; returns quietly when aborted, as the caller then stops. */
  private async copyOne(
    job: CopyJob,
    target: ScratchTarget,
    engineName: Engine,
    signal: AbortSignal,
    log: Logger,
  ): Promise<void> {
    const engine = this.engines(engineName);
    const startedAt = Date.now();
    try {
      await engine.recreateDatabase(target);
      await job.copy(target, signal);
    } catch (error) {
      if (signal.aborted) return;
      if (error instanceof CommandFailedError && !(await this.reachable(engine, target))) {
        // The client program died with its server (a restart, a network cut): the dump is not at fault.
        throw new RetryableError(`copying ${job.database}: the scratch server went away`, 5000, {
          cause: error,
        });
      }
      throw restoreFailure(error, job.database);
    }
    log.info(
      {
        step: 1,
        database: job.database,
        scratchServer: target.server.name,
        scratchDatabase: target.database,
        bytes: job.bytes,
        durationMs: Date.now() - startedAt,
      },
      'copied into a scratch database',
    );
  }

  /** Whether the scratch server answers now: a failed restore against one that does not is retried. */
  private async reachable(engine: ScratchEngine, target: ScratchTarget): Promise<boolean> {
    try {
      await engine.listDatabases(target.server, target.database);
      return true;
    } catch {
      return false;
    }
  }

  private serverFor(engine: Engine): ScratchServerConfig {
    const server = this.servers.forEngine(engine);
    if (!server) {
      throw new RestoreFailedError(
        `No scratch server is configured for ${engine} databases, so this export cannot be restored.`,
      );
    }
    return server;
  }
}
