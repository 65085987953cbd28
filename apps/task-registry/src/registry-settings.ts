import { requireSection, SnapexConfig } from '@snapex/config';

export const REGISTRY_SETTINGS = Symbol('snapex:registry-settings');

export interface RegistrySettings {
  region: string;
  databaseUrl: string;
  schema: string;
  maxActiveTasksPerAccount: number;
  maxManualSnapshotsPerAccount: number;
  maxEventSubscriptionsPerAccount: number;
  longTableNoticeMinutes: number;
  /** Accounts with a webhook signing key: only they may subscribe a webhook. */
  webhookAccounts: ReadonlySet<string>;
}

export function registrySettingsFrom(config: SnapexConfig): RegistrySettings {
  const registry = requireSection(config, 'registry');
  return {
    region: config.region,
    databaseUrl: registry.databaseUrl,
    schema: registry.schema,
    maxActiveTasksPerAccount: registry.maxActiveTasksPerAccount,
    maxManualSnapshotsPerAccount: registry.maxManualSnapshotsPerAccount,
    maxEventSubscriptionsPerAccount: registry.maxEventSubscriptionsPerAccount,
    longTableNoticeMinutes: registry.longTableNoticeMinutes,
    webhookAccounts: new Set(config.accounts.filter((account) => account.webhookSecret).map(({ id }) => id)),
  };
}
