import { Injectable } from '@nestjs/common';
import { EventSourceType, EventSubscriptionStatus, RdsEvent } from '@snapex/contracts';
import { Connection } from '../database/registry-database';

export interface SubscriptionRecord {
  seq: string;
  accountId: string;
  name: string;
  snsTopicArn: string;
  status: EventSubscriptionStatus;
  sourceType: EventSourceType | null;
  sourceIds: string[];
  eventCategories: string[];
  enabled: boolean;
  createdAt: Date;
}

export type SubscriptionFields = Pick<
  SubscriptionRecord,
  'snsTopicArn' | 'sourceType' | 'sourceIds' | 'eventCategories' | 'enabled' | 'status'
>;

const COLUMNS = `seq::text AS seq, account_id AS "accountId", name, sns_topic_arn AS "snsTopicArn", status,
  source_type AS "sourceType", source_ids AS "sourceIds", event_categories AS "eventCategories", enabled,
  created_at AS "createdAt"`;

/** event_subscriptions: one row per subscription of an account, keyed by its name. */
@Injectable()
export class EventSubscriptionRepository {
  /** Inserts the subscription; false when the account already has one of that name. */
  async insert(tx: Connection, accountId: string, name: string, fields: SubscriptionFields) {
    const { rows } = await tx.query<SubscriptionRecord>(
      `INSERT INTO event_subscriptions
         (account_id, name, sns_topic_arn, status, source_type, source_ids, event_categories, enabled)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
       ON CONFLICT (account_id, name) DO NOTHING
       RETURNING ${COLUMNS}`,
      [accountId, name, ...valuesOf(fields)],
    );
    return rows[0] as SubscriptionRecord | undefined;
  }

  async update(tx: Connection, accountId: string, name: string, fields: SubscriptionFields) {
    const { rows } = await tx.query<SubscriptionRecord>(
      `UPDATE event_subscriptions SET sns_topic_arn = $3, status = $4, source_type = $5, source_ids = $6,
         event_categories = $7, enabled = $8
       WHERE account_id = $1 AND name = $2 RETURNING ${COLUMNS}`,
      [accountId, name, ...valuesOf(fields)],
    );
    return rows[0] as SubscriptionRecord | undefined;
  }

  async find(connection: Connection, accountId: string, name: string, forUpdate = false) {
    const { rows } = await connection.query<SubscriptionRecord>(
      `SELECT ${COLUMNS} FROM event_subscriptions WHERE account_id = $1 AND name = $2${forUpdate ? ' FOR UPDATE' : ''}`,
      [accountId, name],
    );
    return rows[0] as SubscriptionRecord | undefined;
  }

  async delete(tx: Connection, accountId: string, name: string) {
    const { rows } = await tx.query<SubscriptionRecord>(
      `DELETE FROM event_subscriptions WHERE account_id = $1 AND name = $2 RETURNING ${COLUMNS}`,
      [accountId, name],
    );
    return rows[0] as SubscriptionRecord | undefined;
  }

  /** Serializes subscription creation within one account, so the quota holds under races. */
  async lockAccount(tx: Connection, accountId: string): Promise<number> {
    await tx.query(`SELECT pg_advisory_xact_lock(hashtext('snapex.subscriptions.account'), hashtext($1))`, [
      accountId,
    ]);
    const { rows } = await tx.query<{ count: number }>(
      'SELECT count(*)::int AS count FROM event_subscriptions WHERE account_id = $1',
      [accountId],
    );
    return rows[0].count;
  }

  /** The account's subscriptions in the order they were made, after a paging position. */
  async list(connection: Connection, accountId: string, afterSeq: string | undefined, limit: number) {
    const { rows } = await connection.query<SubscriptionRecord>(
      `SELECT ${COLUMNS} FROM event_subscriptions WHERE account_id = $1 AND ($2::bigint IS NULL OR seq > $2)
       ORDER BY event_subscriptions.seq LIMIT $3`,
      [accountId, afterSeq ?? null, limit],
    );
    return rows;
  }

  /** Enabled subscriptions that take the event: of its source type, source and category, or of any. */
  async matching(connection: Connection, event: RdsEvent): Promise<SubscriptionRecord[]> {
    const { rows } = await connection.query<SubscriptionRecord>(
      `SELECT ${COLUMNS} FROM event_subscriptions
       WHERE account_id = $1 AND enabled AND status <> 'deleting'
         AND (source_type IS NULL OR source_type = $2)
         AND (cardinality(source_ids) = 0 OR $3 = ANY(source_ids))
         AND (cardinality(event_categories) = 0 OR event_categories && $4)
       ORDER BY event_subscriptions.seq`,
      [event.accountId, event.sourceType, event.sourceIdentifier, event.eventCategories],
    );
    return rows;
  }

  /** What delivery learnt of the target (topic gone, no permission, or fine again); a disabled row keeps it. */
  async setTargetStatus(tx: Connection, accountId: string, name: string, status: EventSubscriptionStatus) {
    await tx.query(
      `UPDATE event_subscriptions SET status = $3 WHERE account_id = $1 AND name = $2 AND status <> $3
         AND status IN ('active', 'no-permission', 'topic-not-exist')`,
      [accountId, name, status],
    );
  }
}

/** The subscription's columns after account_id and name, in the order the statements list them. */
function valuesOf(fields: SubscriptionFields): unknown[] {
  return [
    fields.snsTopicArn,
    fields.status,
    fields.sourceType,
    fields.sourceIds,
    fields.eventCategories,
    fields.enabled,
  ];
}
