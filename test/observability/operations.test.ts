import { StartExportTaskRpc } from '@snapex/contracts';
import { readFileSync } from 'node:fs';
import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { dropDatabase, recreateDatabase, withPg } from '../../scripts/local-stack/databases';
import { REPO_ROOT, SERVICES, Stack } from '../../scripts/local-stack/stack';
import { eventuallyValue } from '../support/eventually';
import { NatsServer, startPrivateNats } from '../support/private-nats';
import { printLogsIfFailed } from '../support/service-logs';

const SOURCE_DB = `snapex_observe_${process.pid}`;
const ORDER_ROWS = 3000;
const CUSTOMER_ROWS = 40;

interface ReceivedSpan {
  service: string;
  name: string;
  traceId: string;
  spanId: string;
  parentSpanId: string;
}

/** An OTLP/HTTP (JSON) traces endpoint that keeps every span the services send it. */
async function startTraceReceiver(): Promise<{ url: string; spans: ReceivedSpan[]; server: Server }> {
  const spans: ReceivedSpan[] = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      for (const resourceSpans of body.resourceSpans ?? []) {
        const service = resourceSpans.resource.attributes.find(
          (attribute: any) => attribute.key === 'service.name',
        ).value.stringValue;
        for (const scope of resourceSpans.scopeSpans ?? [])
          for (const span of scope.spans ?? [])
            spans.push({
              service,
              name: span.name,
              traceId: span.traceId,
              spanId: span.spanId,
              parentSpanId: span.parentSpanId ?? '',
            });
      }
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/v1/traces`, spans, server };
}

async function get(url: string): Promise<{ status: number; text: string }> {
  const response = await fetch(url);
  return { status: response.status, text: await response.text() };
}

/** Prometheus text without the service label every series carries, for shorter expectations. */
function withoutService(metrics: string): string {
  return metrics
    .replace(/,?service="[^"]*"/g, '')
    .replace(/\{,/g, '{')
    .replace(/\{\}/g, '');
}

/** One sample's value from Prometheus text, e.g. `snapex_export_tasks{status="COMPLETE"}`; 0 when absent. */
function sample(metrics: string, series: string): number {
  const line = metrics.split('\n').find((candidate) => candidate.startsWith(`${series} `));
  return line ? Number(line.slice(series.length + 1)) : 0;
}

describe('health, metrics and traces of the seven services', () => {
  let nats: NatsServer;
  let stack: Stack;
  let receiver: Awaited<ReturnType<typeof startTraceReceiver>>;
  const ops = (service: string) => stack.opsUrl(service);

  beforeAll(async () => {
    nats = await startPrivateNats();
    receiver = await startTraceReceiver();
    const sourceUrl = await recreateDatabase(SOURCE_DB);
    await withPg(sourceUrl, async (client) => {
      await client.query(`
        CREATE TABLE customers (id bigint PRIMARY KEY, name text NOT NULL);
        INSERT INTO customers SELECT n, 'customer ' || n FROM generate_series(1, ${CUSTOMER_ROWS}) n;
        CREATE TABLE orders (id bigint PRIMARY KEY, customer_id bigint, total numeric(10, 2), note text);
        INSERT INTO orders SELECT n, n % ${CUSTOMER_ROWS} + 1, n * 1.25, repeat('x', n % 50)
          FROM generate_series(1, ${ORDER_ROWS}) n;
        ANALYZE;`);
    });
    stack = await Stack.start({
      name: `observe-${process.pid}`,
      sources: [{ name: 'observed', url: sourceUrl, databases: [SOURCE_DB] }],
      natsUrl: nats.url,
      config: {
        observability: {
          ports: Object.fromEntries(SERVICES.map((service) => [service, 0])),
          tracing: { enabled: true, otlpEndpoint: receiver.url },
        },
      },
    });
  });

  afterEach(() => printLogsIfFailed(stack));

  afterAll(async () => {
    await stack?.stop();
    await nats?.stop();
    receiver?.server.close();
    await dropDatabase(SOURCE_DB);
  });

  it('answers liveness and readiness on every service, naming what readiness checked', async () => {
    for (const service of SERVICES) {
      expect((await get(`${ops(service)}/healthz/live`)).status).toBe(200);
      const ready = await get(`${ops(service)}/healthz/ready`);
      expect({ service, status: ready.status }).toEqual({ service, status: 200 });
      const { checks } = JSON.parse(ready.text);
      expect(checks.nats).toEqual({ ok: true });
      if (service === 'task-registry') expect(checks['registry-database']).toEqual({ ok: true });
      if (service === 'table-extractor') expect(checks['encoder-threads']).toEqual({ ok: true });
    }
    expect((await get(`${stack.gatewayUrl}/healthz`)).status).toBe(200);
  });

  it('moves the export metrics during an export', async () => {
    const before = withoutService((await get(`${ops('table-extractor')}/metrics`)).text);
    expect(sample(before, 'snapex_partitions_exported_total')).toBe(0);
    expect(sample(before, 'process_resident_memory_bytes')).toBeGreaterThan(0);

    const task = await stack.exportCluster('observed-export', 'observed');
    expect(task.Status).toBe('COMPLETE');

    const extractor = withoutService((await get(`${ops('table-extractor')}/metrics`)).text);
    const exported = sample(extractor, 'snapex_partitions_exported_total');
    expect(exported).toBeGreaterThanOrEqual(2);
    expect(sample(extractor, 'snapex_partitions_started_total')).toBe(exported);
    expect(sample(extractor, 'snapex_rows_exported_total')).toBe(ORDER_ROWS + CUSTOMER_ROWS);
    expect(sample(extractor, 'snapex_bytes_exported_total')).toBeGreaterThan(0);
    expect(sample(extractor, 'snapex_partition_duration_seconds_count{outcome="exported"}')).toBe(exported);
    // The work queue is drained, and the extractor says so for its own consumer.
    expect(extractor).toMatch(
      /^snapex_jetstream_consumer_pending_messages\{stream="SNAPEX_\w+",consumer="table-extractor__[\w-]+"\} 0$/m,
    );
    expect(extractor).toMatch(/^snapex_messages_handled_total\{subject="[\w.]+",outcome="acked"\} [1-9]/m);

    const registry = withoutService((await get(`${ops('task-registry')}/metrics`)).text);
    expect(sample(registry, 'snapex_export_tasks{status="COMPLETE"}')).toBe(1);
    expect(sample(registry, 'snapex_export_tasks{status="IN_PROGRESS"}')).toBe(0);
    expect(extractor).toMatch(/^# TYPE snapex_s3_request_errors_total counter$/m);
  });

  it('serves every series the Grafana dashboard charts, each naming its service', async () => {
    const served = (await Promise.all(SERVICES.map((service) => get(`${ops(service)}/metrics`)))).map(
      ({ text }) => text,
    );
    const types = new Set(served.flatMap((text) => [...text.matchAll(/^# TYPE (\w+) /gm)].map((m) => m[1])));
    const dashboard = readFileSync(join(REPO_ROOT, 'deploy', 'grafana', 'snapex-dashboard.json'), 'utf8');
    const charted = new Set(
      [...dashboard.matchAll(/\b((?:snapex|process|nodejs)_\w+)/g)].map(([, name]) =>
        name.replace(/_(bucket|sum|count)$/, ''),
      ),
    );
    expect([...charted].filter((name) => !types.has(name))).toEqual([]);
    SERVICES.forEach((service, index) =>
      expect(served[index]).toContain(`process_resident_memory_bytes{service="${service}"}`),
    );
  });

  it('is not ready while NATS is down, alive all the same, and ready again once NATS is back', async () => {
    await nats.kill();
    try {
      for (const service of ['task-registry', 'table-extractor', 'notifier'] as const) {
        const ready = await eventuallyValue(async () => {
          const answer = await get(`${ops(service)}/healthz/ready`);
          return answer.status === 503 ? JSON.parse(answer.text) : undefined;
        });
        expect(ready.checks.nats).toEqual({ ok: false, reason: 'not connected to NATS' });
        expect((await get(`${ops(service)}/healthz/live`)).status).toBe(200);
      }
      expect((await get(`${stack.gatewayUrl}/healthz`)).status).toBe(503);
    } finally {
      await nats.restart();
    }
    for (const service of SERVICES) {
      await eventuallyValue(async () =>
        (await get(`${ops(service)}/healthz/ready`)).status === 200 ? true : undefined,
      );
    }
  });

  it('follows the export in one trace, from StartExportTask to TaskCompleted, across the services', async () => {
    // The services send what they still hold when they stop.
    await stack.stop();
    const start = receiver.spans.find(
      (span) => span.service === 'api-gateway' && span.name === `call ${StartExportTaskRpc.subject}`,
    );
    expect(start).toBeDefined();
    const trace = receiver.spans.filter((span) => span.traceId === start!.traceId);
    const services = new Set(trace.map((span) => span.service));
    expect([...services].sort()).toEqual([...SERVICES].sort());
    const names = trace.map((span) => span.name);
    expect(names).toEqual(expect.arrayContaining(['publish TaskCompleted', 'consume TaskCompleted']));
    expect(names.filter((name) => name === 'consume PartitionRequested').length).toBeGreaterThanOrEqual(2);
    // Every span but the first has its parent in the same trace.
    const ids = new Set(trace.map((span) => span.spanId));
    const orphans = trace.filter((span) => span !== start && !ids.has(span.parentSpanId));
    expect(orphans).toEqual([]);
    // Log lines written while handling the export name its trace.
    const exportedLine = stack
      .logs('table-extractor')
      .split('\n')
      .find((line) => line.includes('"msg":"partition exported"'));
    expect(JSON.parse(exportedLine!).traceId).toBe(start!.traceId);
  });
});
