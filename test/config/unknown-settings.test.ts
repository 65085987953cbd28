import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { REPO_ROOT, SERVICES } from '../../scripts/local-stack/stack';

/** EX_CONFIG: what runService exits with when the configuration is refused. */
const EX_CONFIG = 78;

interface Exit {
  code: number | null;
  stderr: string;
}

function runWithConfig(service: string, configFile: string): Promise<Exit> {
  const entry = join(REPO_ROOT, 'dist', 'apps', service, 'src', 'main.js');
  if (!existsSync(entry)) throw new Error(`${entry} missing: run \`npm run build\` first`);
  const child = spawn(process.execPath, [entry], {
    env: { ...process.env, SNAPEX_CONFIG: configFile, NODE_NO_WARNINGS: '1' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${service} was still running after 20 s: ${stderr}`));
    }, 20_000);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stderr });
    });
  });
}

describe('a service with an unknown setting in its configuration', () => {
  const dir = mkdtempSync(join(tmpdir(), 'snapex-unknown-settings-'));
  const configFile = join(dir, 'snapex.yaml');

  beforeAll(() => {
    // Valid in every other respect; the registry and NATS are never reached, so they need not exist.
    const config = {
      region: 'us-east-1',
      accounts: [{ id: '123456789012', apiKeys: ['a-key-of-at-least-16'] }],
      nats: { url: 'nats://127.0.0.1:1' },
      registry: { databaseUrl: 'postgresql://nobody@127.0.0.1:1/none' },
      gateway: { host: '127.0.0.1', port: 0, maxBodySize: 4096 },
      extractor: { concurency: 4 },
    };
    writeFileSync(configFile, stringify(config));
  });

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it.each(SERVICES.map((service) => [service]))('%s refuses to start, naming each key', async (service) => {
    const exit = await runWithConfig(service, configFile);
    expect(exit.code).toBe(EX_CONFIG);
    expect(exit.stderr).toContain(`${service}: refusing to start:`);
    expect(exit.stderr).toContain('config: gateway.maxBodySize: unknown setting');
    expect(exit.stderr).toContain('config: extractor.concurency: unknown setting');
  });
});
