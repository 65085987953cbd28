import { SnapexConfig, SourceConfig } from './config.schema';

/** Registered sources by account and name: the only databases snapex will read. */
export class SourceCatalogue {
  constructor(private readonly config: SnapexConfig) {}

  find(accountId: string, name: string): SourceConfig | undefined {
    return this.config.sources.find((source) => source.accountId === accountId && source.name === name);
  }
}
