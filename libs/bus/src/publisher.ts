import { Inject, Injectable } from '@nestjs/common';
import { EventContract, EventPayload } from '@snapex/contracts';
import { inSpan, SpanKind, TraceCarrier, contextOf } from '@snapex/telemetry';
import { headers as natsHeaders } from 'nats';
import { RetryableError } from './errors';
import { NatsConnectionHolder } from './nats-connection';
import { messageAttributes, traceHeaders } from './trace-headers';

/** Publishes contract-checked events to JetStream, de-duplicated by their eventId. */
@Injectable()
export class EventPublisher {
  constructor(@Inject(NatsConnectionHolder) private readonly nats: NatsConnectionHolder) {}

  async publish<C extends EventContract>(contract: C, payload: EventPayload<C>): Promise<void> {
    const checked = contract.schema.parse(payload) as { eventId: string };
    const attributes = messageAttributes(contract.subject, checked);
    await inSpan(`publish ${contract.name}`, { kind: SpanKind.PRODUCER, attributes }, async () => {
      const headers = natsHeaders();
      headers.set('Snapex-Event', contract.name);
      try {
        await this.nats.jetstream.publish(contract.subject, JSON.stringify(checked), {
          msgID: checked.eventId,
          headers: traceHeaders(undefined, headers),
        });
      } catch (error) {
        throw new RetryableError(`publishing ${contract.name} failed: ${(error as Error).message}`, 1000, {
          cause: error,
        });
      }
    });
  }

  /**
   * Publishes JSON that was checked elsewhere (outbox rows, notifications), de-duplicated by eventId;
   * `trace` is the context the message was written in, when that was earlier (an outbox entry).
   */
  async publishRaw(subject: string, eventId: string, json: string, trace?: TraceCarrier): Promise<void> {
    const parent = contextOf(trace);
    await inSpan(
      `publish ${subject}`,
      { kind: SpanKind.PRODUCER, parent, attributes: messageAttributes(subject) },
      () => this.nats.jetstream.publish(subject, json, { msgID: eventId, headers: traceHeaders() }),
    );
  }
}
