import { SnapexConfig, SourceConfig } from './config.schema';

export type ScratchServerConfig = SnapexConfig['scratch']['servers'][number];

/** The configured scratch servers that snapshots are restored into (and live MySQL databases cloned into). */
export class ScratchServerCatalogue {
  constructor(private readonly config: SnapexConfig) {}

  get all(): readonly ScratchServerConfig[] {
    return this.config.scratch.servers;
  }

  named(name: string): ScratchServerConfig | undefined {
    return this.all.find((server) => server.name === name);
  }

  /** The server a copy of an engine's database goes to; undefined when none is configured. */
  forEngine(engine: ScratchServerConfig['engine']): ScratchServerConfig | undefined {
    return this.all.find((server) => server.engine === engine);
  }
}

/** A scratch server shaped as a source, so engines read a restored copy exactly as they read a live database. */
export function scratchServerAsSource(server: ScratchServerConfig, accountId: string): SourceConfig {
  return { name: server.name, accountId, kind: 'cluster', engine: server.engine, url: server.url };
}
