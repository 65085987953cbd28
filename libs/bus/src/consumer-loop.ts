import { EventContract } from '@snapex/contracts';
import { Logger } from '@snapex/logging';
import { AckPolicy, Consumer, DeliverPolicy, JsMsg, nanos } from 'nats';
import { inSpan, SpanKind } from '@snapex/telemetry';
import { messagesHandled, watchBacklog } from './bus-metrics';
import { MessageContext } from './decorators';
import { InvalidMessageError, settlementFor } from './errors';
import { NatsConnectionHolder } from './nats-connection';
import { STREAMS } from '@snapex/contracts';
import { messageAttributes, traceContextOf } from './trace-headers';

export type EventHandler = (payload: unknown, context: MessageContext) => Promise<void>;
export type GiveUpHandler = (contract: EventContract, payload: unknown, error: unknown) => Promise<void>;

export interface ConsumerLoopSettings {
  service: string;
  contract: EventContract;
  handler: EventHandler;
  concurrency: number;
  ackWaitSeconds: number;
  maxDeliver: number;
  onGiveUp: GiveUpHandler;
  logger: Logger;
}

/** Durable consumer name: one per service and subject, shared by the service's replicas. */
export function durableName(service: string, subject: string): string {
  return `${service}__${subject}`.replace(/[.>*\s]/g, '_');
}

/**
 * Pulls one message at a time, and only while a slot is free, so a message never waits in a local
 * buffer while its ack timer runs; long handlers keep their message alive with working() heartbeats.
 * One pull is outstanding per replica, never one per slot: the server hands each message to the
 * oldest waiting pull, so a replica that has just taken a message queues behind idle ones, and long
 * jobs (an extractor's partitions) spread over replicas instead of piling onto one.
 */
export class ConsumerLoop {
  private running = true;
  private puller: Promise<void> = Promise.resolve();
  private readonly inFlight = new Set<Promise<void>>();
  private slotFreed: () => void = () => undefined;
  private unwatch: () => void = () => undefined;

  constructor(
    private readonly nats: NatsConnectionHolder,
    private readonly settings: ConsumerLoopSettings,
  ) {}

  async start(): Promise<void> {
    const consumer = await this.ensureConsumer();
    this.unwatch = watchBacklog({
      stream: STREAMS[this.settings.contract.stream].name,
      consumer: durableName(this.settings.service, this.settings.contract.subject),
      info: () => consumer.info(),
    });
    this.puller = this.pull(consumer);
  }

  async stop(): Promise<void> {
    this.running = false;
    this.unwatch();
    this.slotFreed();
    await this.puller;
    await Promise.allSettled(this.inFlight);
  }

  private async ensureConsumer(): Promise<Consumer> {
    const { contract, service, ackWaitSeconds, maxDeliver } = this.settings;
    const stream = STREAMS[contract.stream].name;
    const name = durableName(service, contract.subject);
    await this.nats.manager.consumers.add(stream, {
      durable_name: name,
      filter_subject: contract.subject,
      ack_policy: AckPolicy.Explicit,
      deliver_policy: DeliverPolicy.All,
      ack_wait: nanos(ackWaitSeconds * 1000),
      max_deliver: maxDeliver,
      max_ack_pending: 1000,
    });
    return this.nats.jetstream.consumers.get(stream, name);
  }

  private async pull(consumer: Consumer): Promise<void> {
    while (this.running && !this.nats.connection.isClosed()) {
      await this.freeSlot();
      if (!this.running) return;
      let message: JsMsg | null;
      try {
        message = await consumer.next({ expires: 2000 });
      } catch (error) {
        if (!this.running) return;
        this.settings.logger.warn(
          { err: error, subject: this.settings.contract.subject },
          'pull failed; retrying',
        );
        await sleep(1000);
        continue;
      }
      if (message) this.startHandling(message);
    }
  }

  private freeSlot(): Promise<void> {
    if (this.inFlight.size < this.settings.concurrency || !this.running) return Promise.resolve();
    return new Promise((resolve) => (this.slotFreed = resolve));
  }

  private startHandling(message: JsMsg): void {
    const handling = this.handle(message)
      .catch((error) =>
        this.settings.logger.error({ err: error, subject: message.subject }, 'handling failed'),
      )
      .finally(() => {
        this.inFlight.delete(handling);
        this.slotFreed();
      });
    this.inFlight.add(handling);
  }

  private async handle(message: JsMsg): Promise<void> {
    const { contract, handler, logger, maxDeliver } = this.settings;
    const attempt = message.info.redeliveryCount;
    const heartbeat = setInterval(() => message.working(), (this.settings.ackWaitSeconds * 1000) / 3);
    let payload: unknown;
    try {
      payload = parsePayload(contract, message);
      const handled = payload;
      await inSpan(
        `consume ${contract.name}`,
        {
          kind: SpanKind.CONSUMER,
          parent: traceContextOf(message),
          attributes: { ...messageAttributes(message.subject, payload), 'snapex.attempt': String(attempt) },
        },
        () => handler(handled, { subject: message.subject, attempt }),
      );
      message.ack();
      messagesHandled.inc({ subject: contract.subject, outcome: 'acked' });
    } catch (error) {
      const settlement = settlementFor(error, attempt, maxDeliver);
      const log = { err: error, subject: message.subject, attempt, ...taskFields(payload) };
      if (settlement.kind === 'nak') {
        logger.warn(log, 'handler failed; will retry');
        message.nak(settlement.delayMs);
        messagesHandled.inc({ subject: contract.subject, outcome: 'retried' });
      } else {
        logger.error(log, 'handler failed for good; message terminated');
        message.term();
        messagesHandled.inc({ subject: contract.subject, outcome: 'terminated' });
        if (payload !== undefined) await this.giveUp(contract, payload, error);
      }
    } finally {
      clearInterval(heartbeat);
    }
  }

  private async giveUp(contract: EventContract, payload: unknown, error: unknown): Promise<void> {
    try {
      await this.settings.onGiveUp(contract, payload, error);
    } catch (giveUpError) {
      this.settings.logger.error({ err: giveUpError }, 'could not report a terminated message');
    }
  }
}

export function parsePayload(
  contract: EventContract,
  message: { subject: string; string(): string },
): unknown {
  let json: unknown;
  try {
    json = JSON.parse(message.string());
  } catch {
    throw new InvalidMessageError(message.subject, 'not JSON');
  }
  const parsed = contract.schema.safeParse(json);
  if (!parsed.success) {
    throw new InvalidMessageError(
      message.subject,
      parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; '),
    );
  }
  return parsed.data;
}

function taskFields(payload: unknown): Record<string, unknown> {
  if (payload === null || typeof payload !== 'object') return {};
  const { taskId, exportTaskIdentifier } = payload as Record<string, unknown>;
  return { taskId, exportTaskIdentifier };
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
