import { Injectable } from '@nestjs/common';
import { EventContract, EventPayload } from '@snapex/contracts';
import { currentTraceCarrier, TraceCarrier } from '@snapex/telemetry';
import { Connection } from '../database/registry-database';

export interface OutboxEntry {
  id: string;
  subject: string;
  eventId: string;
  json: string;
  /** The trace the entry was written in, when tracing was on. */
  trace?: TraceCarrier;
}

/** Events the registry owes the bus, written in the same transaction as the change they announce. */
@Injectable()
export class OutboxRepository {
  async enqueue<C extends EventContract>(
    tx: Connection,
    contract: C,
    payload: EventPayload<C>,
  ): Promise<void> {
    const checked = contract.schema.parse(payload) as { eventId: string };
    const trace = currentTraceCarrier();
    await tx.query(
      `INSERT INTO outbox (subject, event_id, payload, trace_context) VALUES ($1, $2, $3, $4)
       ON CONFLICT (event_id) DO NOTHING`,
      [
        contract.subject,
        checked.eventId,
        JSON.stringify(checked),
        Object.keys(trace).length > 0 ? JSON.stringify(trace) : null,
      ],
    );
  }

  /** Locks the oldest unpublished entries; other replicas skip them rather than publish them twice. */
  async lockUnpublished(tx: Connection, limit: number): Promise<OutboxEntry[]> {
    const { rows } = await tx.query<{
      id: string;
      subject: string;
      event_id: string;
      payload: unknown;
      trace_context: TraceCarrier | null;
    }>(
      `SELECT id, subject, event_id, payload, trace_context FROM outbox
       WHERE published_at IS NULL ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED`,
      [limit],
    );
    return rows.map((row) => ({
      id: row.id,
      subject: row.subject,
      eventId: row.event_id,
      json: JSON.stringify(row.payload),
      ...(row.trace_context ? { trace: row.trace_context } : {}),
    }));
  }

  async markPublished(tx: Connection, ids: string[]): Promise<void> {
    if (ids.length === 0) return;
    await tx.query('UPDATE outbox SET published_at = now() WHERE id = ANY($1::bigint[])', [ids]);
  }

  async deletePublishedBefore(tx: Connection, cutoff: Date): Promise<void> {
    await tx.query('DELETE FROM outbox WHERE published_at < $1', [cutoff]);
  }
}
