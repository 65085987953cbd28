import { EventContract, RpcContract } from '@snapex/contracts';

export interface ConsumerTuning {
  /** Messages handled at once per subject. */
  concurrency?: number;
  ackWaitSeconds?: number;
  maxDeliver?: number;
}

/** Where and how to reach NATS: the `nats` section of the configuration. */
export interface NatsConnectionSettings {
  /** One server URL or several separated by commas. */
  url: string;
  tls?: { caFile?: string; certFile?: string; keyFile?: string };
  auth?: { credsFile?: string; user?: string; password?: string; token?: string };
}

export interface BusOptions {
  /** Service name: durable consumer and queue group names derive from it. */
  service: string;
  nats: NatsConnectionSettings;
  /** Copies JetStream keeps of each stream (1 on a single server). */
  streamReplicas: number;
  /** Subjects this service must handle durably; start-up fails unless each has exactly one handler. */
  consumes: readonly EventContract[];
  /** Request/reply subjects this service answers. */
  serves?: readonly RpcContract[];
  /** Broadcast subjects this service listens to. */
  listens?: readonly EventContract[];
  tuning?: ConsumerTuning & { perSubject?: Record<string, ConsumerTuning> };
  rpcTimeoutMs?: number;
}

export const BUS_OPTIONS = Symbol('snapex:bus-options');
