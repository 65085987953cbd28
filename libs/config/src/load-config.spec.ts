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

  it('refuses an unknown setting at any depth, naming it with its path', () => {
    const env = { MAIN_URL: 'postgresql://h/db' };
    expect(() => parseConfig({ ...minimal, regoin: 'us-east-1' }, env)).toThrow(
      /^config: regoin: unknown setting$/,
    );
    expect(() => parseConfig({ ...minimal, gateway: { prot: 8080 } }, env)).toThrow(
      /^config: gateway\.prot: unknown setting$/,
    );
    expect(() =>
      parseConfig(
        {
          ...minimal,
          accounts: [
            {
              ...minimal.accounts[0],
              accessKeys: [
                {
                  accessKeyId: 'AKIA0000000000000000',
                  secretAccessKey: 'a-secret-of-16-chars',
                  sessionToken: 'x',
                },
              ],
            },
          ],
        },
        env,
      ),
    ).toThrow(/^config: accounts\.0\.accessKeys\.0\.sessionToken: unknown setting$/);
    expect(() =>
      parseConfig(
        {
          ...minimal,
          sources: [{ ...minimal.sources[0], automatedSnapshots: { intervalMinutes: 60, retian: 3 } }],
          snapshotStore: { bucket: 'snapshots' },
        },
        env,
      ),
    ).toThrow(/^config: sources\.0\.automatedSnapshots\.retian: unknown setting$/);
    expect(() => parseConfig({ ...minimal, extractor: { concurency: 2, batchRow: 10 } }, env)).toThrow(
      'config: extractor.concurency: unknown setting\nconfig: extractor.batchRow: unknown setting',
    );
  });

  it('holds every section to the settings it knows', () => {
    const env = { MAIN_URL: 'postgresql://h/db' };
    const sections: Record<string, unknown> = {
      nats: {},
      registry: { databaseUrl: 'postgresql://h/registry' },
      aws: {},
      gateway: {},
      snapshotStore: { bucket: 'snapshots' },
      scratch: {},
      restorer: {},
      extractor: {},
      logging: {},
      observability: {},
    };
    for (const [section, value] of Object.entries(sections)) {
      expect(() => parseConfig({ ...minimal, [section]: value }, env)).not.toThrow();
      expect(() => parseConfig({ ...minimal, [section]: { ...(value as object), extra: 1 } }, env)).toThrow(
        `config: ${section}.extra: unknown setting`,
      );
    }
    const nested: [Record<string, unknown>, string][] = [
      [{ aws: { endpoints: { s4: 'http://s3' } } }, 'aws.endpoints.s4'],
      [{ observability: { ports: { 'table-extracter': 9500 } } }, 'observability.ports.table-extracter'],
      [
        { observability: { tracing: { endpoint: 'http://collector:4318' } } },
        'observability.tracing.endpoint',
      ],
      [
        { aws: { serviceCredentials: { accessKeyId: 'a', secretAccessKey: 'b', token: 'c' } } },
        'aws.serviceCredentials.token',
      ],
      [
        { scratch: { servers: [{ name: 'pg', engine: 'postgres', url: 'postgresql://h/s', jobs: 2 }] } },
        'scratch.servers.0.jobs',
      ],
    ];
    for (const [settings, path] of nested) {
      expect(() => parseConfig({ ...minimal, ...settings }, env)).toThrow(`config: ${path}: unknown setting`);
    }
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

  it('gives each service an operations port of its own, and leaves tracing off', () => {
    const { observability } = parseConfig(
      { ...minimal, observability: { ports: { 'table-extractor': 0 } } },
      { MAIN_URL: 'postgresql://h/db' },
    );
    expect(observability).toEqual({
      host: '127.0.0.1',
      ports: {
        'task-registry': 9464,
        'api-gateway': 9465,
        'credential-validator': 9466,
        restorer: 9467,
        'table-extractor': 0,
        'metadata-writer': 9469,
        notifier: 9470,
      },
      tracing: { enabled: false, sampleRatio: 1 },
    });
  });

  it('refuses a missing or malformed file with a message that says which', () => {
    expect(() => loadConfig({ SNAPEX_CONFIG: '/nonexistent/snapex.yaml' })).toThrow(ConfigError);
    const dir = mkdtempSync(join(tmpdir(), 'snapex-config-'));
    writeFileSync(join(dir, 'bad.yaml'), 'region: [unclosed');
    expect(() => loadConfig({ SNAPEX_CONFIG: join(dir, 'bad.yaml') })).toThrow(/is not valid YAML/);
  });
});
