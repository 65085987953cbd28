import { PermanentError } from '@snapex/bus';
import {
  ScratchServerCatalogue,
  scratchServerAsSource,
  SnapexConfig,
  SourceCatalogue,
  SourceConfig,
} from '@snapex/config';
import { ReadPoint } from '@snapex/contracts';

/** Where a read point's database lives: the registered source, or the scratch server holding a restored copy. */
export class ReadPointSources {
  private readonly sources: SourceCatalogue;
  private readonly scratch: ScratchServerCatalogue;

  constructor(config: SnapexConfig) {
    this.sources = new SourceCatalogue(config);
    this.scratch = new ScratchServerCatalogue(config);
  }

  resolve(accountId: string, readPoint: ReadPoint): SourceConfig {
    if (readPoint.scratchServer !== null) {
      const server = this.scratch.named(readPoint.scratchServer);
      if (!server) throw new PermanentError(`scratch server ${readPoint.scratchServer} is not configured`);
      return scratchServerAsSource(server, accountId);
    }
    const source = this.sources.find(accountId, readPoint.sourceName);
    if (!source)
      throw new PermanentError(`source ${readPoint.sourceName} is not registered for ${accountId}`);
    return source;
  }
}
