import { Injectable, OnApplicationShutdown } from '@nestjs/common';
import { connect, JetStreamClient, JetStreamManager, NatsConnection } from 'nats';

/** One NATS connection per process, with its JetStream client and manager. */
@Injectable()
export class NatsConnectionHolder implements OnApplicationShutdown {
  private constructor(
    readonly connection: NatsConnection,
    readonly jetstream: JetStreamClient,
    readonly manager: JetStreamManager,
  ) {}

  static async open(url: string, name: string): Promise<NatsConnectionHolder> {
    const connection = await connect({
      servers: url,
      name,
      maxReconnectAttempts: -1,
      reconnectTimeWait: 1000,
    });
    const manager = await connection.jetstreamManager();
    return new NatsConnectionHolder(connection, connection.jetstream(), manager);
  }

  async onApplicationShutdown(): Promise<void> {
    if (!this.connection.isClosed()) await this.connection.drain();
  }
}
