import { Injectable } from '@nestjs/common';
import { ACTIVE_STATUSES, SnapshotArchive, SnapshotKind } from '@snapex/contracts';
import { ListCondition, newestFirst } from '../database/newest-first';
import { Connection } from '../database/registry-database';
import { SnapshotRecord } from './snapshot-record';

const SNAPSHOT_COLUMNS = `
  snapshot_id AS "snapshotId", seq::text AS seq, account_id AS "accountId", kind, identifier, arn, engine,
  source_name AS "sourceName", status, snapshot_type AS "snapshotType", archive,
  total_bytes::float8 AS "totalBytes", requested_at AS "requestedAt", snapshot_time AS "snapshotTime",
  failure_reason AS "failureReason"`;

export type NewSnapshot = Omit<SnapshotRecord, 'seq' | 'requestedAt' | 'failureReason'>;

/** Columns DescribeDBSnapshots / DescribeDBClusterSnapshots may filter on. */
export type SnapshotColumn = 'identifier' | 'source_name' | 'snapshot_type' | 'engine';

export type SnapshotCondition = ListCondition<SnapshotColumn>;

export interface SnapshotListQuery {
  accountId: string;
  kind: SnapshotKind;
  conditions: SnapshotCondition[];
  /** Only snapshots older than this position (a paging marker). */
  beforeSeq?: string;
  limit: number;
}

/** snapshots: one row per snapshot of the catalogue. */
@Injectable()
export class SnapshotRepository {
  async insert(tx: Connection, snapshot: NewSnapshot): Promise<SnapshotRecord> {
    const { rows } = await tx.query<SnapshotRecord>(
      `INSERT INTO snapshots (snapshot_id, account_id, kind, identifier, arn, engine, source_name, status,
         snapshot_type, archive, total_bytes, snapshot_time)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
       RETURNING ${SNAPSHOT_COLUMNS}`,
      [
        snapshot.snapshotId,
        snapshot.accountId,
        snapshot.kind,
        snapshot.identifier,
        snapshot.arn,
        snapshot.engine,
        snapshot.sourceName,
        snapshot.status,
        snapshot.snapshotType,
        snapshot.archive === null ? null : JSON.stringify(snapshot.archive),
        snapshot.totalBytes,
        snapshot.snapshotTime,
      ],
    );
    return rows[0];
  }

  /** Serializes snapshot creation within one account, so the manual snapshot quota holds under races. */
  async lockAccount(tx: Connection, accountId: string): Promise<void> {
    await tx.query(`SELECT pg_advisory_xact_lock(hashtext('snapex.snapshots.account'), hashtext($1))`, [
      accountId,
    ]);
  }

  /** Manual snapshots of the account, of both kinds, that are not on their way out. */
  async countManual(tx: Connection, accountId: string): Promise<number> {
    const { rows } = await tx.query<{ count: number }>(
      `SELECT count(*)::int AS count FROM snapshots
       WHERE account_id = $1 AND snapshot_type = 'manual' AND status <> 'deleting'`,
      [accountId],
    );
    return rows[0].count;
  }

  async find(
    connection: Connection,
    accountId: string,
    kind: SnapshotKind,
    identifier: string,
  ): Promise<SnapshotRecord | undefined> {
    const { rows } = await connection.query<SnapshotRecord>(
      `SELECT ${SNAPSHOT_COLUMNS} FROM snapshots WHERE account_id = $1 AND kind = $2 AND identifier = $3`,
      [accountId, kind, identifier],
    );
    return rows[0];
  }

  /**
   * Locks the snapshot: `share` for a reader that needs it to stay as it is (an export starting from it),
   * `update` for a change of status.
   */
  async lock(
    tx: Connection,
    accountId: string,
    kind: SnapshotKind,
    identifier: string,
    mode: 'share' | 'update',
  ): Promise<SnapshotRecord | undefined> {
    const { rows } = await tx.query<SnapshotRecord>(
      `SELECT ${SNAPSHOT_COLUMNS} FROM snapshots WHERE account_id = $1 AND kind = $2 AND identifier = $3
       FOR ${mode === 'share' ? 'SHARE' : 'UPDATE'}`,
      [accountId, kind, identifier],
    );
    return rows[0];
  }

  async lockById(tx: Connection, snapshotId: string): Promise<SnapshotRecord | undefined> {
    const { rows } = await tx.query<SnapshotRecord>(
      `SELECT ${SNAPSHOT_COLUMNS} FROM snapshots WHERE snapshot_id = $1 FOR UPDATE`,
      [snapshotId],
    );
    return rows[0];
  }

  async findById(connection: Connection, snapshotId: string): Promise<SnapshotRecord | undefined> {
    const { rows } = await connection.query<SnapshotRecord>(
      `SELECT ${SNAPSHOT_COLUMNS} FROM snapshots WHERE snapshot_id = $1`,
      [snapshotId],
    );
    return rows[0];
  }

  /** Newest first. */
  async list(connection: Connection, query: SnapshotListQuery): Promise<SnapshotRecord[]> {
    const { clause, values } = newestFirst('snapshots', {
      ...query,
      fixed: { account_id: query.accountId, kind: query.kind },
    });
    const { rows } = await connection.query<SnapshotRecord>(
      `SELECT ${SNAPSHOT_COLUMNS} FROM snapshots ${clause}`,
      values,
    );
    return rows;
  }

  /** Automated snapshots of one source, newest first. */
  async automatedOf(
    connection: Connection,
    accountId: string,
    kind: SnapshotKind,
    sourceName: string,
  ): Promise<SnapshotRecord[]> {
    const { rows } = await connection.query<SnapshotRecord>(
      `SELECT ${SNAPSHOT_COLUMNS} FROM snapshots
       WHERE account_id = $1 AND kind = $2 AND source_name = $3 AND snapshot_type = 'automated'
       ORDER BY snapshots.seq DESC`,
      [accountId, kind, sourceName],
    );
    return rows;
  }

  async markAvailable(
    tx: Connection,
    snapshotId: string,
    outcome: { archive: SnapshotArchive; snapshotTime: Date; totalBytes: number },
  ): Promise<void> {
    await tx.query(
      `UPDATE snapshots SET status = 'available', archive = $2, snapshot_time = $3, total_bytes = $4
       WHERE snapshot_id = $1`,
      [snapshotId, JSON.stringify(outcome.archive), outcome.snapshotTime, outcome.totalBytes],
    );
  }

  async markFailed(tx: Connection, snapshotId: string, reason: string): Promise<void> {
    await tx.query(`UPDATE snapshots SET status = 'failed', failure_reason = $2 WHERE snapshot_id = $1`, [
      snapshotId,
      reason,
    ]);
  }

  async markDeleting(tx: Connection, snapshotId: string): Promise<SnapshotRecord> {
    const { rows } = await tx.query<SnapshotRecord>(
      `UPDATE snapshots SET status = 'deleting', delete_requested_at = now() WHERE snapshot_id = $1
       RETURNING ${SNAPSHOT_COLUMNS}`,
      [snapshotId],
    );
    return rows[0];
  }

  /**
   * Snapshots being deleted that no export reads any more, locked so that one replica purges each;
   * an export still running from one keeps its archive until it ends.
   */
  async lockPurgeable(tx: Connection, limit: number): Promise<SnapshotRecord[]> {
    const { rows } = await tx.query<SnapshotRecord>(
      `SELECT ${SNAPSHOT_COLUMNS} FROM snapshots s
       WHERE s.status = 'deleting'
         AND NOT EXISTS (
           SELECT 1 FROM export_tasks t
           WHERE t.account_id = s.account_id AND t.source_arn = s.arn AND t.status = ANY($1))
       ORDER BY s.seq LIMIT $2 FOR UPDATE OF s SKIP LOCKED`,
      [ACTIVE_STATUSES, limit],
    );
    return rows;
  }

  /** Which of the keys another snapshot's archive also holds (dumps registered twice). */
  /**
   * Which of `keys` another snapshot still needs: the same object, a directory dump (a key prefix
   * ending in `/`) holding one of its objects, or an object inside one of its directory dumps.
   */
  async keysHeldByOthers(tx: Connection, snapshotId: string, keys: string[]): Promise<Set<string>> {
    const { rows } = await tx.query<{ key: string }>(
      `SELECT DISTINCT mine.key
         FROM unnest($2::text[]) AS mine(key)
         JOIN snapshots other ON other.snapshot_id <> $1
         CROSS JOIN jsonb_array_elements(other.archive->'dumps') AS dump
        WHERE dump->>'key' = mine.key
           OR (right(mine.key, 1) = '/' AND starts_with(dump->>'key', mine.key))
           OR (right(dump->>'key', 1) = '/' AND starts_with(mine.key, dump->>'key'))`,
      [snapshotId, keys],
    );
    return new Set(rows.map((row) => row.key));
  }

  async remove(tx: Connection, snapshotId: string): Promise<void> {
    await tx.query('DELETE FROM snapshots WHERE snapshot_id = $1', [snapshotId]);
  }
}
