import { createServer, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import { HealthChecks } from './health';
import { metricsRegistry } from './metrics';

export const LIVENESS_PATH = '/healthz/live';
export const READINESS_PATH = '/healthz/ready';
export const METRICS_PATH = '/metrics';

/**
 * The operations listener every service runs beside its work: liveness, readiness and Prometheus
 * metrics, on a port of its own so that none of it is reachable through the public API.
 */
export class OpsServer {
  private constructor(
    private readonly server: Server,
    readonly url: string,
  ) {}

  static async listen(health: HealthChecks, host: string, port: number): Promise<OpsServer> {
    const server = createServer((request, response) => {
      const path = (request.url ?? '/').split('?')[0];
      if (request.method !== 'GET' && request.method !== 'HEAD')
        return send(response, 405, { error: 'GET only' });
      if (path === LIVENESS_PATH) return send(response, 200, { status: 'ok' });
      if (path === READINESS_PATH) {
        return void health.readiness().then((report) => send(response, report.ready ? 200 : 503, report));
      }
      if (path === METRICS_PATH) {
        return void metricsRegistry.metrics().then(
          (text) => {
            response.writeHead(200, { 'content-type': metricsRegistry.contentType });
            response.end(text);
          },
          (error: Error) => send(response, 500, { error: error.message }),
        );
      }
      send(response, 404, {
        error: `no ${path} here; try ${LIVENESS_PATH}, ${READINESS_PATH} or ${METRICS_PATH}`,
      });
    });
    // Probes come every few seconds; keep-alive sockets must not hold shutdown up.
    server.keepAliveTimeout = 1000;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    const address = server.address() as AddressInfo;
    const shownHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
    return new OpsServer(server, `http://${shownHost}:${address.port}`);
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

function send(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json' });
  response.end(JSON.stringify(body));
}
