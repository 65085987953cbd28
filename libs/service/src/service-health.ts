import {
  BeforeApplicationShutdown,
  Inject,
  Injectable,
  OnApplicationShutdown,
  OnModuleInit,
} from '@nestjs/common';
import { NatsConnectionHolder } from '@snapex/bus';
import { SnapexConfig } from '@snapex/config';
import { Logger } from '@snapex/logging';
import {
  collectProcessMetrics,
  HealthChecks,
  metricsRegistry,
  OpsServer,
  shutdownTracing,
} from '@snapex/telemetry';
import { CONFIG, LOGGER } from './tokens';

/**
 * The operations side every service shares: NATS in its readiness, process metrics, and the
 * operations listener, which runService opens once the service has started.
 */
@Injectable()
export class ServiceOperations implements OnModuleInit, BeforeApplicationShutdown, OnApplicationShutdown {
  private server: OpsServer | null = null;

  constructor(
    @Inject(HealthChecks) private readonly health: HealthChecks,
    @Inject(NatsConnectionHolder) private readonly nats: NatsConnectionHolder,
    @Inject(CONFIG) private readonly config: SnapexConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  onModuleInit(): void {
    collectProcessMetrics();
    this.health.add('nats', () =>
      this.nats.connected ? { ok: true } : { ok: false, reason: 'not connected to NATS' },
    );
  }

  /** Opens the operations listener on the service's own port. */
  async listen(service: string): Promise<string> {
    const { host, ports } = this.config.observability;
    const port = ports[service as keyof typeof ports];
    if (port === undefined) throw new Error(`observability.ports has no port for ${service}`);
    // Every series names its service, whatever labels the scraper adds.
    metricsRegistry.setDefaultLabels({ service });
    this.server = await OpsServer.listen(this.health, host, port);
    this.logger.info({ url: this.server.url }, 'operations listener ready');
    return this.server.url;
  }

  beforeApplicationShutdown(): void {
    this.health.markStopping();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.server?.close();
    await shutdownTracing();
  }
}
