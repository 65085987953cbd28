import { requireSection, SnapexConfig, WebhookDestinations } from '@snapex/config';
import { Codec, TypeMode } from '@snapex/contracts';

export const REGISTRY_SETTINGS = Symbol('snapex:registry-settings');

export interface RegistrySettings {
  region: string;
  databaseUrl: string;
  schema: string;
  maxActiveTasksPerAccount: number;
  maxManualSnapshotsPerAccount: number;
  /** What a StartExportTask that does not say writes (config `output`). */
  outputDefaults: { typeMode: TypeMode; codec: Codec };
  maxEventSubscriptionsPerAccount: number;
  longTableNoticeMinutes: number;
  /** Accounts with a webhook signing key: only they may subscribe a webhook. */
  webhookAccounts: ReadonlySet<string>;
  /** Which webhook addresses the notifier delivers to (config `notifier.webhookAllowedNetworks`). */
  webhookDestinations: WebhookDestinations;
}

export function registrySettingsFrom(config: SnapexConfig): RegistrySettings {
  const registry = requireSection(config, 'registry');
  return {
    region: config.region,
    databaseUrl: registry.databaseUrl,
    schema: registry.schema,
    maxActiveTasksPerAccount: registry.maxActiveTasksPerAccount,
    maxManualSnapshotsPerAccount: registry.maxManualSnapshotsPerAccount,
    outputDefaults: { typeMode: config.output.typeMode, codec: config.output.codec },
    maxEventSubscriptionsPerAccount: registry.maxEventSubscriptionsPerAccount,
    longTableNoticeMinutes: registry.longTableNoticeMinutes,
    webhookAccounts: new Set(config.accounts.filter((account) => account.webhookSecret).map(({ id }) => id)),
    webhookDestinations: new WebhookDestinations(config.notifier.webhookAllowedNetworks),
  };
}
