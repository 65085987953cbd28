import { Inject, Injectable } from '@nestjs/common';
import { PermanentError } from '@snapex/bus';
import { SnapexConfig, SourceCatalogue, SourceConfig } from '@snapex/config';
import { SnapshotSource, TaskSpec } from '@snapex/contracts';
import { DatabaseEngine, engineFor } from '@snapex/engines';
import { Logger } from '@snapex/logging';
import { CONFIG } from '@snapex/service';
import { connecting } from './connection-errors';
import { ExportOnlyFilter } from './export-only-filter';
import { ReadTarget, ScratchCopies } from './restore/scratch-copies';
import { SCRATCH_ENGINES, ScratchEngineLookup } from './restore/scratch-engines';

export interface ExportReadTargets {
  engine: DatabaseEngine;
  filter: ExportOnlyFilter;
  targets: ReadTarget[];
  /** The instant the data is from when known before pinning (a snapshot, a clone); else the pinned point's. */
  exportTime: Date | null;
}

/**
 * Decides where an export's databases are read: a snapshot from its restored scratch copies, a live
 * cluster in place at a shared consistent point, or, where the engine cannot share one, from clones.
 */
@Injectable()
export class ReadTargets {
  private readonly sources: SourceCatalogue;

  constructor(
    @Inject(CONFIG) config: SnapexConfig,
    @Inject(ScratchCopies) private readonly scratch: ScratchCopies,
    @Inject(SCRATCH_ENGINES) private readonly scratchEngines: ScratchEngineLookup,
  ) {
    this.sources = new SourceCatalogue(config);
  }

  /** With `fresh`, copies are (re)made; without, a finished earlier attempt's copies are read. */
  prepare(spec: TaskSpec, fresh: boolean, log: Logger): Promise<ExportReadTargets> {
    return spec.snapshot
      ? this.ofSnapshot(spec, spec.snapshot, fresh, log)
      : this.ofLiveSource(spec, fresh, log);
  }

  private async ofSnapshot(
    spec: TaskSpec,
    snapshot: SnapshotSource,
    fresh: boolean,
    log: Logger,
  ): Promise<ExportReadTargets> {
    const engine = engineFor(snapshot.engine);
    const filter = new ExportOnlyFilter(spec.exportOnly, engine.hasSchemas);
    const copies = await this.scratch.restoreSnapshot(
      spec,
      snapshot,
      (database) => filter.includesDatabase(database),
      fresh,
      log,
    );
    return { engine, filter, ...copies };
  }

  private async ofLiveSource(spec: TaskSpec, fresh: boolean, log: Logger): Promise<ExportReadTargets> {
    const source = this.sources.find(spec.accountId, spec.sourceName);
    if (!source)
      throw new PermanentError(`source ${spec.sourceName} is not registered for ${spec.accountId}`);
    const engine = engineFor(source.engine);
    const filter = new ExportOnlyFilter(spec.exportOnly, engine.hasSchemas);
    log.info({ step: 1, source: source.name, engine: source.engine }, 'listing databases');
    const databases = (await connecting('source', () => engine.listDatabases(source))).filter((database) =>
      filter.includesDatabase(database),
    );
    if (this.scratchEngines(source.engine).clonesLiveSources) {
      const copies = await this.scratch.cloneLive(spec, source, databases, fresh, log);
      return { engine, filter, ...copies };
    }
    return {
      engine,
      filter,
      targets: databases.map((database) => inPlace(source, database)),
      exportTime: null,
    };
  }
}

function inPlace(source: SourceConfig, database: string): ReadTarget {
  return { database, source, readDatabase: database, scratchServer: null };
}
