import { parseConfig, SERVICE_NAMES } from '@snapex/config';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, parseAllDocuments } from 'yaml';

const CHART = join(__dirname, '..', '..', 'deploy', 'helm', 'snapex');
const HELM = process.env.SNAPEX_HELM ?? 'helm';
const SECRETS_DIR = '/etc/snapex/secrets/';
const SERVICES = [...SERVICE_NAMES].sort();
/** Values a real secret could have, for the keys the chart's default configuration names. */
const SECRET_VALUES = {
  'api-key': 'an-api-key-of-at-least-16',
  'demo-source-url': 'postgresql://reader:pw@demo-db:5432/demo',
  'nats-password': 'a-nats-password',
  'registry-database-url': 'postgresql://snapex:pw@registry-db:5432/snapex',
};

interface Manifest {
  apiVersion: string;
  kind: string;
  metadata: { name: string };
  [field: string]: any;
}

function helm(args: string[]): string {
  const run = spawnSync(HELM, args, { encoding: 'utf8' });
  if (run.error) throw new Error(`${HELM} not found: run scripts/fetch-tools.sh and put its folder on PATH`);
  if (run.status !== 0) throw new Error(`helm ${args.join(' ')} failed:\n${run.stderr}`);
  return run.stdout;
}

function render(values: Record<string, string> = SECRET_VALUES, extra: string[] = []): Manifest[] {
  const sets = Object.entries(values).flatMap(([key, value]) => [
    '--set-string',
    `secrets.values.${key.replace(/\./g, '\\.')}=${value}`,
  ]);
  const text = helm(['template', 'snapex', CHART, '--namespace', 'snapex', ...sets, ...extra]);
  return parseAllDocuments(text)
    .map((document) => document.toJS() as Manifest)
    .filter(Boolean);
}

function find(manifests: Manifest[], kind: string, name: string): Manifest {
  const found = manifests.find((manifest) => manifest.kind === kind && manifest.metadata.name === name);
  if (!found) throw new Error(`no ${kind} ${name} rendered`);
  return found;
}

/** Sections every service's configuration holds, whatever it reads. */
const EVERY_SERVICE = new Set(['region', 'accounts', 'nats', 'logging', 'observability']);

/** The configuration sections a service's own code reads (`config.<section>`, requireSection). */
function sectionsReadBy(service: string): string[] {
  const source = join(__dirname, '..', '..', 'apps', service, 'src');
  const read = new Set<string>();
  for (const file of readdirSync(source, { recursive: true, encoding: 'utf8' })) {
    if (!file.endsWith('.ts') || file.endsWith('.spec.ts')) continue;
    const text = readFileSync(join(source, file), 'utf8');
    for (const match of text.matchAll(/\bconfig\.(\w+)|requireSection\(config, '(\w+)'\)/g))
      read.add(match[1] ?? match[2]);
  }
  return [...read].filter((section) => !EVERY_SERVICE.has(section)).sort();
}

/** One rendered service's snapex.yaml, parsed. */
function renderedConfig(manifests: Manifest[], service: string): Record<string, unknown> {
  const text = find(manifests, 'ConfigMap', `snapex-${service}`).data['snapex.yaml'] as string;
  return parseAllDocuments(text)[0].toJS() as Record<string, unknown>;
}

describe('the Helm chart', () => {
  let manifests: Manifest[];

  beforeAll(() => {
    manifests = render();
  });

  it('lints clean', () => {
    expect(helm(['lint', '--strict', CHART])).toMatch(/1 chart\(s\) linted, 0 chart\(s\) failed/);
  });

  it('renders manifests that Kubernetes, KEDA and the Prometheus operator schemas accept', () => {
    const text = manifests.map((manifest) => JSON.stringify(manifest)).join('\n---\n');
    const run = spawnSync(process.execPath, [join(__dirname, '..', 'support', 'validate-manifests.mjs')], {
      input: text,
      encoding: 'utf8',
    });
    expect(run.stderr).toBe('');
    const results = run.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(results).toHaveLength(manifests.length);
    expect(results.filter((result) => result.problem)).toEqual([]);
    const kinds = [...new Set(manifests.map((manifest) => manifest.kind))].sort();
    expect(kinds).toEqual([
      'ConfigMap',
      'Deployment',
      'PodDisruptionBudget',
      'ScaledObject',
      'Secret',
      'Service',
      'ServiceAccount',
      'ServiceMonitor',
    ]);
  });

  it.each(SERVICES)('gives %s a valid configuration and mounts only the secrets it names', (service) => {
    const name = `snapex-${service}`;
    const configText = find(manifests, 'ConfigMap', name).data['snapex.yaml'] as string;
    const named = new Set([...configText.matchAll(/\/etc\/snapex\/secrets\/([\w.-]+)/g)].map((m) => m[1]));
    const secret = manifests.find(
      (manifest) => manifest.kind === 'Secret' && manifest.metadata.name === name,
    );
    expect(Object.keys(secret?.stringData ?? {}).sort()).toEqual([...named].sort());

    const pod = find(manifests, 'Deployment', name).spec.template.spec;
    const volume = pod.volumes.find((candidate: any) => candidate.name === 'secrets');
    expect((volume?.secret.items ?? []).map((item: any) => item.key).sort()).toEqual([...named].sort());

    // The configuration the service would load, its secrets as files the way the pod mounts them.
    const dir = mkdtempSync(join(tmpdir(), 'snapex-chart-'));
    for (const [key, value] of Object.entries(secret?.stringData ?? {}))
      writeFileSync(join(dir, key), `${value}`);
    const config = parseConfig(
      parseAllDocuments(configText.replaceAll(SECRETS_DIR, `${dir}/`))[0].toJS(),
      {},
    );
    expect(config.nats.streamReplicas).toBe(3);
    expect(config.accounts[0].apiKeys.length > 0).toBe(service === 'api-gateway');

    const [container] = pod.containers;
    expect(container.livenessProbe.httpGet).toEqual({ path: '/healthz/live', port: 'metrics' });
    expect(container.readinessProbe.httpGet).toEqual({ path: '/healthz/ready', port: 'metrics' });
    expect(container.ports.find((port: any) => port.name === 'metrics').containerPort).toBe(9464);
    // The probes and Prometheus reach the service's own operations listener.
    expect(config.observability.host).toBe('0.0.0.0');
    expect(config.observability.ports[service]).toBe(9464);
    expect(find(manifests, 'PodDisruptionBudget', name).spec.selector.matchLabels).toEqual(
      find(manifests, 'Deployment', name).spec.selector.matchLabels,
    );
    expect(find(manifests, 'ServiceMonitor', name).spec.endpoints).toEqual([
      { port: 'metrics', path: '/metrics', interval: '30s' },
    ]);
  });

  describe('with every configuration section set', () => {
    // Sections the chart's defaults leave out, set so that every section is there to be handed on.
    const added = {
      'output.typeMode': 'native',
      'notifier.maxAttempts': '3',
      'metadataWriter.glueCatalog.enabled': 'true',
      'scratch.restoreJobs': '2',
    };
    let withMore: Manifest[];
    let configured: Set<string>;

    beforeAll(() => {
      withMore = render(
        SECRET_VALUES,
        Object.entries(added).flatMap(([key, value]) => ['--set', `config.${key}=${value}`]),
      );
      const values = parse(readFileSync(join(CHART, 'values.yaml'), 'utf8')) as { config: object };
      configured = new Set([
        ...Object.keys(values.config),
        ...Object.keys(added).map((key) => key.split('.')[0]),
      ]);
    });

    it.each(SERVICES)('hands %s every configured section its code reads', (service) => {
      const config = renderedConfig(withMore, service);
      const missing = sectionsReadBy(service).filter(
        (section) => configured.has(section) && !(section in config),
      );
      expect(missing).toEqual([]);
    });
  });

  it('hands api-gateway the sources without their URLs or the secrets they name', () => {
    const sources = renderedConfig(manifests, 'api-gateway').sources as Record<string, unknown>[];
    expect(sources.map(({ name, engine }) => ({ name, engine }))).toEqual(
      (renderedConfig(manifests, 'task-registry').sources as Record<string, unknown>[]).map(
        ({ name, engine }) => ({ name, engine }),
      ),
    );
    expect(JSON.stringify(sources)).not.toContain(SECRETS_DIR);
  });

  it('hands each secret only to the services that read it', () => {
    const holders = (key: string) =>
      manifests
        .filter((manifest) => manifest.kind === 'Secret' && key in manifest.stringData)
        .map((manifest) => manifest.metadata.name.replace('snapex-', ''))
        .sort();
    expect(holders('api-key')).toEqual(['api-gateway']);
    expect(holders('registry-database-url')).toEqual(['task-registry']);
    expect(holders('demo-source-url')).toEqual(['restorer', 'table-extractor', 'task-registry']);
    expect(holders('nats-password')).toEqual(SERVICES);
  });

  it('scales table-extractor with KEDA on the work queue consumer backlog', () => {
    const scaled = find(manifests, 'ScaledObject', 'snapex-table-extractor');
    expect(scaled.spec.scaleTargetRef).toEqual({ name: 'snapex-table-extractor' });
    expect(scaled.spec.triggers).toEqual([
      {
        type: 'nats-jetstream',
        metadata: expect.objectContaining({
          stream: 'SNAPEX_WORK',
          consumer: 'table-extractor__snapex_work_partition_requested_v1',
        }),
      },
    ]);
    // KEDA owns the replica count.
    expect(find(manifests, 'Deployment', 'snapex-table-extractor').spec.replicas).toBeUndefined();
  });

  it('refuses to render a secret the configuration names without a value', () => {
    expect(() => render({ ...SECRET_VALUES, 'nats-password': '' })).toThrow(
      /secrets\.values\.nats-password: named by the configuration of/,
    );
  });
});
