import { SourceConfig } from '@snapex/config';
import { TypeMode } from '@snapex/contracts';
import { DiscoveredTable, PartitionPlan, PinnedReadPoint, UnexportedObject } from '../engine';
import { PostgresCatalog } from './catalog';
import { PostgresPartitionPlanner } from './partition-planner';
import { PgSession } from './pg-session';

interface ExportedSnapshot {
  snapshot_id: string;
  pinned_at: Date;
}

/**
 * A REPEATABLE READ transaction whose snapshot is exported: extractors import it with SET
 * TRANSACTION SNAPSHOT for as long as this transaction stays open, i.e. until release().
 */
export class PostgresReadPoint implements PinnedReadPoint {
  private constructor(
    private readonly session: PgSession,
    readonly database: string,
    readonly snapshotId: string,
    readonly pinnedAt: Date,
  ) {}

  static async pin(source: SourceConfig, database: string): Promise<PostgresReadPoint> {
    const session = await PgSession.open(source.url, database, 'snapex-read-point');
    try {
      // The transaction sits idle between catalog reads while extractors use its snapshot.
      await session.query('SET idle_in_transaction_session_timeout = 0');
      await session.query('BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY');
      const [snapshot] = await session.query<ExportedSnapshot>(
        'SELECT pg_export_snapshot() AS snapshot_id, now() AS pinned_at',
      );
      return new PostgresReadPoint(session, database, snapshot.snapshot_id, snapshot.pinned_at);
    } catch (error) {
      await session.close();
      throw error;
    }
  }

  listTables(typeMode?: TypeMode): Promise<DiscoveredTable[]> {
    return new PostgresCatalog(this.session).tables(typeMode);
  }

  listUnexportedObjects(): Promise<UnexportedObject[]> {
    return new PostgresCatalog(this.session).unexportedObjects();
  }

  /** Planned inside the pinned transaction, so boundaries match the data extractors will read. */
  planPartitions(table: DiscoveredTable, targetBytes: number): Promise<PartitionPlan> {
    return new PostgresPartitionPlanner(this.session).plan(table, targetBytes);
  }

  async release(): Promise<void> {
    await this.session.commitQuietly();
    await this.session.close();
  }
}
