import { Injectable, OnApplicationShutdown } from '@nestjs/common';
import { readFileSync } from 'node:fs';
import {
  ConnectionOptions,
  connect,
  credsAuthenticator,
  Events,
  JetStreamClient,
  JetStreamManager,
  NatsConnection,
} from 'nats';
import { NatsConnectionSettings } from './bus.options';

/** One NATS connection per process, with its JetStream client and manager. */
@Injectable()
export class NatsConnectionHolder implements OnApplicationShutdown {
  private isConnected = true;

  private constructor(
    readonly connection: NatsConnection,
    readonly jetstream: JetStreamClient,
    readonly manager: JetStreamManager,
  ) {
    void this.followStatus();
  }

  static async open(settings: NatsConnectionSettings, name: string): Promise<NatsConnectionHolder> {
    const connection = await connect({
      ...natsConnectionOptions(settings),
      name,
      maxReconnectAttempts: -1,
      reconnectTimeWait: 1000,
    });
    const manager = await connection.jetstreamManager();
    return new NatsConnectionHolder(connection, connection.jetstream(), manager);
  }

  /** Connected to a server now: false from a lost connection until the client is back. */
  get connected(): boolean {
    return this.isConnected && !this.connection.isClosed();
  }

  async onApplicationShutdown(): Promise<void> {
    if (!this.connection.isClosed()) await this.connection.drain();
  }

  private async followStatus(): Promise<void> {
    for await (const status of this.connection.status()) {
      if (status.type === Events.Disconnect) this.isConnected = false;
      else if (status.type === Events.Reconnect) this.isConnected = true;
    }
  }
}

/** Servers, TLS and credentials as the nats client takes them. */
export function natsConnectionOptions(settings: NatsConnectionSettings): ConnectionOptions {
  const { tls, auth } = settings;
  return {
    servers: settings.url.split(',').map((server) => server.trim()),
    ...(tls ? { tls: { ...tls } } : {}),
    ...(auth?.credsFile ? { authenticator: credsAuthenticator(readFileSync(auth.credsFile)) } : {}),
    ...(auth?.user ? { user: auth.user, pass: auth.password } : {}),
    ...(auth?.token ? { token: auth.token } : {}),
  };
}
