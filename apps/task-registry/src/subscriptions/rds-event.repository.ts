import { Injectable } from '@nestjs/common';
import {
  EventDelivery,
  RdsEvent,
  RdsEventSchema,
  RecordDeliveryAttemptRpc,
  RpcRequest,
} from '@snapex/contracts';
import { Connection } from '../database/registry-database';

const EVENT_COLUMNS = `seq::text AS seq, event_id AS "eventId", account_id AS "accountId", task_id AS "taskId",
  export_task_identifier AS "exportTaskIdentifier", rds_event_id AS "rdsEventId", source_type AS "sourceType",
  source_identifier AS "sourceIdentifier", source_arn AS "sourceArn", message,
  event_categories AS "eventCategories", to_char(occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS date`;

export interface EventListQuery {
  accountId: string;
  from: Date;
  to: Date;
  sourceType?: string;
  sourceIdentifier?: string;
  categories?: string[];
  afterSeq?: string;
  limit: number;
}

export type DeliveryAttempt = RpcRequest<typeof RecordDeliveryAttemptRpc>;

/** rds_events (what DescribeEvents lists) and the delivery log of event_deliveries and their attempts. */
@Injectable()
export class RdsEventRepository {
  /** Records the event once; the same event id again returns the row already there. */
  async record(tx: Connection, event: RdsEvent): Promise<RdsEvent> {
    await tx.query(
      `INSERT INTO rds_events (event_id, account_id, task_id, export_task_identifier, rds_event_id, source_type,
         source_identifier, source_arn, message, event_categories, occurred_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) ON CONFLICT (event_id) DO NOTHING`,
      [
        event.eventId,
        event.accountId,
        event.taskId,
        event.exportTaskIdentifier,
        event.rdsEventId,
        event.sourceType,
        event.sourceIdentifier,
        event.sourceArn,
        event.message,
        event.eventCategories,
        event.date,
      ],
    );
    const { rows } = await tx.query<RdsEvent & { seq: string }>(
      `SELECT ${EVENT_COLUMNS} FROM rds_events WHERE event_id = $1`,
      [event.eventId],
    );
    return RdsEventSchema.parse(rows[0]);
  }

  /** Events of the account in the window, oldest first, after a paging position. */
  async list(connection: Connection, query: EventListQuery): Promise<(RdsEvent & { seq: string })[]> {
    const { rows } = await connection.query<RdsEvent & { seq: string }>(
      `SELECT ${EVENT_COLUMNS} FROM rds_events
       WHERE account_id = $1 AND occurred_at >= $2 AND occurred_at <= $3
         AND ($4::text IS NULL OR source_type = $4) AND ($5::text IS NULL OR source_identifier = $5)
         AND ($6::text[] IS NULL OR event_categories && $6) AND ($7::bigint IS NULL OR seq > $7)
       ORDER BY rds_events.seq LIMIT $8`,
      [
        query.accountId,
        query.from,
        query.to,
        query.sourceType ?? null,
        query.sourceIdentifier ?? null,
        query.categories ?? null,
        query.afterSeq ?? null,
        query.limit,
      ],
    );
    return rows;
  }

  /** Adds one attempt to the delivery log; a repeated attempt number (a redelivered report) changes nothing. */
  async recordAttempt(tx: Connection, attempt: DeliveryAttempt): Promise<void> {
    const deadLetter =
      attempt.outcome === 'dead-lettered'
        ? JSON.stringify({ event: attempt.event, target: attempt.target })
        : null;
    await tx.query(
      `INSERT INTO event_deliveries (delivery_id, account_id, subscription_name, event_id, rds_event_id,
         source_identifier, target, status, attempts, last_attempt_at, last_http_status, last_error, dead_letter)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, now(), $10, $11, $12)
       ON CONFLICT (delivery_id) DO UPDATE SET status = EXCLUDED.status,
         attempts = GREATEST(event_deliveries.attempts, EXCLUDED.attempts), last_attempt_at = now(),
         last_http_status = EXCLUDED.last_http_status, last_error = EXCLUDED.last_error,
         dead_letter = COALESCE(EXCLUDED.dead_letter, event_deliveries.dead_letter)
       WHERE event_deliveries.status <> 'delivered'`,
      [
        attempt.deliveryId,
        attempt.accountId,
        attempt.subscriptionName,
        attempt.event.eventId,
        attempt.event.rdsEventId,
        attempt.event.sourceIdentifier,
        JSON.stringify(attempt.target),
        attempt.outcome,
        attempt.attempt,
        attempt.httpStatus ?? null,
        attempt.error ?? null,
        deadLetter,
      ],
    );
    await tx.query(
      `INSERT INTO event_delivery_attempts (delivery_id, attempt, outcome, http_status, error, duration_ms)
       VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (delivery_id, attempt) DO NOTHING`,
      [
        attempt.deliveryId,
        attempt.attempt,
        attempt.outcome,
        attempt.httpStatus ?? null,
        attempt.error ?? null,
        attempt.durationMs,
      ],
    );
  }

  /** The account's deliveries, newest first, before a paging position. */
  async deliveries(
    connection: Connection,
    query: {
      accountId: string;
      subscriptionName?: string;
      status?: string;
      beforeSeq?: string;
      limit: number;
    },
  ): Promise<(EventDelivery & { seq: string })[]> {
    const { rows } = await connection.query<
      EventDelivery & { seq: string; target: { url?: string; topicArn?: string } }
    >(
      `SELECT seq::text AS seq, delivery_id AS "DeliveryId", subscription_name AS "SubscriptionName",
         event_id AS "EventId", rds_event_id AS "RdsEventId", source_identifier AS "SourceIdentifier", target,
         status AS "Status", attempts AS "Attempts",
         to_char(last_attempt_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "LastAttemptTime",
         last_http_status AS "LastHttpStatus", last_error AS "LastError"
       FROM event_deliveries
       WHERE account_id = $1 AND ($2::text IS NULL OR subscription_name = $2) AND ($3::text IS NULL OR status = $3)
         AND ($4::bigint IS NULL OR seq < $4)
       ORDER BY event_deliveries.seq DESC LIMIT $5`,
      [
        query.accountId,
        query.subscriptionName ?? null,
        query.status ?? null,
        query.beforeSeq ?? null,
        query.limit,
      ],
    );
    return rows.map(({ target, LastHttpStatus, LastError, ...row }) => ({
      ...row,
      Target: target.url ?? target.topicArn ?? '',
      ...(LastHttpStatus === null ? {} : { LastHttpStatus }),
      ...(LastError === null ? {} : { LastError }),
    }));
  }
}
