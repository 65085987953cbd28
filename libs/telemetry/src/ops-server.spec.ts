import { HealthChecks } from './health';
import { counter } from './metrics';
import { OpsServer } from './ops-server';

describe('the operations listener', () => {
  let health: HealthChecks;
  let server: OpsServer;
  let natsUp: boolean;

  beforeEach(async () => {
    natsUp = true;
    health = new HealthChecks();
    health.add('nats', () => (natsUp ? { ok: true } : { ok: false, reason: 'not connected to NATS' }));
    server = await OpsServer.listen(health, '127.0.0.1', 0);
  });

  afterEach(() => server.close());

  const get = async (path: string) => {
    const response = await fetch(`${server.url}${path}`);
    return {
      status: response.status,
      type: response.headers.get('content-type'),
      text: await response.text(),
    };
  };

  it('is live whatever its dependencies say, and ready only while they all are', async () => {
    expect((await get('/healthz/ready')).status).toBe(200);
    natsUp = false;
    expect(await get('/healthz/live')).toMatchObject({ status: 200 });
    const ready = await get('/healthz/ready');
    expect(ready.status).toBe(503);
    expect(JSON.parse(ready.text)).toEqual({
      ready: false,
      checks: { nats: { ok: false, reason: 'not connected to NATS' } },
    });
  });

  it('counts a check that throws or hangs as failed', async () => {
    health.add('database', async () => {
      throw new Error('connection refused');
    });
    health.add('threads', () => new Promise(() => undefined));
    const ready = await get('/healthz/ready');
    expect(ready.status).toBe(503);
    expect(JSON.parse(ready.text).checks).toEqual({
      nats: { ok: true },
      database: { ok: false, reason: 'connection refused' },
      threads: { ok: false, reason: 'no answer within 2000 ms' },
    });
  });

  it('is not ready once the service is shutting down', async () => {
    health.markStopping();
    const ready = await get('/healthz/ready');
    expect(ready.status).toBe(503);
    expect(JSON.parse(ready.text).checks.shutdown).toEqual({
      ok: false,
      reason: 'the service is shutting down',
    });
  });

  it('serves the registered metrics in the Prometheus text format', async () => {
    const partitions = counter({ name: 'snapex_test_partitions_total', help: 'test partitions' });
    // Registering the same metric again (a module loaded twice) gives the one already there.
    expect(counter({ name: 'snapex_test_partitions_total', help: 'test partitions' })).toBe(partitions);
    partitions.inc(3);
    const metrics = await get('/metrics');
    expect(metrics.status).toBe(200);
    expect(metrics.type).toMatch(/^text\/plain/);
    expect(metrics.text).toMatch(/^snapex_test_partitions_total 3$/m);
  });

  it('answers 404 elsewhere', async () => {
    expect((await get('/')).status).toBe(404);
  });
});
