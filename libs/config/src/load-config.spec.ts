import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadConfig, parseConfig } from './load-config';

const minimal = {
  region: 'us-east-1',
  accounts: [{ id: '123456789012', apiKeys: ['a-key-of-at-least-16'] }],
  sources: [{ name: 'main', accountId: '123456789012', engine: 'postgres', url: 'env:MAIN_URL' }],
};

describe('configuration', () => {
  it('resolves env: and file: references and fills defaults', () => {
    const dir = mkdtempSync(join(tmpdir(), 'snapex-config-'));
    writeFileSync(join(dir, 'secret'), 'postgresql://reader@db/app\n');
    const config = parseConfig(
      { ...minimal, registry: { databaseUrl: `file:${join(dir, 'secret')}` } },
      { MAIN_URL: 'postgresql://u@h/db' },
    );
    expect(config.sources[0].url).toBe('postgresql://u@h/db');
    expect(config.registry?.databaseUrl).toBe('postgresql://reader@db/app');
    expect(config.nats.url).toBe('nats://127.0.0.1:4222');
    expect(config.registry?.maxActiveTasksPerAccount).toBe(5);
  });

  it('names the bad setting', () => {
    expect(() => parseConfig({ ...minimal, region: 'mars' }, { MAIN_URL: 'postgresql://h/db' })).toThrow(
      /config: region: must be an AWS region name/,
    );
    expect(() => parseConfig(minimal, {})).toThrow(
      'config: sources.0.url: environment variable MAIN_URL is not set',
    );
    expect(() =>
      parseConfig(
        { ...minimal, sources: [{ ...minimal.sources[0], accountId: '999999999999' }] },
        { MAIN_URL: 'postgresql://h/db' },
      ),
    ).toThrow('config: sources.0.accountId: names account 999999999999, which is not in accounts');
    expect(() =>
      parseConfig(
        { ...minimal, scratch: { databasePrefix: 'a_prefix_of_twenty_eight_ch_' } },
        { MAIN_URL: 'postgresql://h/db' },
      ),
    ).toThrow('config: scratch.databasePrefix: must be at most 27 characters');
  });

  it('lets an account trust only other configured accounts with its roles and keys', () => {
    const env = { MAIN_URL: 'postgresql://h/db' };
    const withTrust = (trustedAccounts: string[]) => ({
      ...minimal,
      accounts: [
        { ...minimal.accounts[0], trustedAccounts },
        { id: '210987654321', apiKeys: ['another-key-of-16-chars'] },
      ],
    });
    expect(parseConfig(minimal, env).accounts[0].trustedAccounts).toEqual([]);
    expect(parseConfig(withTrust(['210987654321']), env).accounts[0].trustedAccounts).toEqual([
      '210987654321',
    ]);
    expect(() => parseConfig(withTrust(['999999999999']), env)).toThrow(
      'config: accounts.0.trustedAccounts.0: names account 999999999999, which is not in accounts',
    );
    expect(() => parseConfig(withTrust(['123456789012']), env)).toThrow(
      'config: accounts.0.trustedAccounts.0: is the account itself, which needs no trust',
    );
    expect(() => parseConfig(withTrust(['12345']), env)).toThrow(
      'config: accounts.0.trustedAccounts.0: must be a 12-digit account id',
    );
  });

  it('keeps automated snapshots to deployments with a snapshot store', () => {
    const automated = {
      ...minimal,
      sources: [{ ...minimal.sources[0], automatedSnapshots: { intervalMinutes: 1440 } }],
    };
    const env = { MAIN_URL: 'postgresql://h/db' };
    expect(() => parseConfig(automated, env)).toThrow(
      /config: sources.0.automatedSnapshots: needs a snapshotStore/,
    );
    const config = parseConfig({ ...automated, snapshotStore: { bucket: 'snapshots' } }, env);
    expect(config.sources[0].automatedSnapshots).toEqual({ intervalMinutes: 1440, retain: 7 });
    expect(config.snapshotStore).toEqual({ bucket: 'snapshots', prefix: 'snapshots/' });
  });

  it('refuses a missing or malformed file with a message that says which', () => {
    expect(() => loadConfig({ SNAPEX_CONFIG: '/nonexistent/snapex.yaml' })).toThrow(ConfigError);
    const dir = mkdtempSync(join(tmpdir(), 'snapex-config-'));
    writeFileSync(join(dir, 'bad.yaml'), 'region: [unclosed');
    expect(() => loadConfig({ SNAPEX_CONFIG: join(dir, 'bad.yaml') })).toThrow(/is not valid YAML/);
  });
});
