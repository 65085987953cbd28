import { TypeMode } from '@snapex/contracts';
import { SourceConfig } from '@snapex/config';
import { DiscoveredTable, PartitionPlan, PinnedReadPoint, UnexportedObject } from '../engine';
import { MySqlCatalog } from './my-catalog';
import { MySqlPartitionPlanner } from './my-partition-planner';
import { MySqlSession } from './my-session';
import { CONSISTENT_SNAPSHOT_STATEMENTS } from './my-sql';
import { datetimeMicros } from './my-values';

/**
 * A consistent-snapshot transaction the plan is read in. MySQL cannot hand its snapshot to other
 * connections, so snapshotId is null and each extractor opens a snapshot of its own; a live source
 * is made consistent across them by reading a clone that takes no writes.
 */
export class MySqlReadPoint implements PinnedReadPoint {
  readonly snapshotId = null;

  private constructor(
    private readonly session: MySqlSession,
    readonly database: string,
    readonly pinnedAt: Date,
  ) {}

  static async pin(source: SourceConfig, database: string): Promise<MySqlReadPoint> {
    const session = await MySqlSession.open(source.url, database);
    try {
      for (const statement of CONSISTENT_SNAPSHOT_STATEMENTS) await session.query(statement);
      const [{ now }] = await session.query<{ now: string }>('SELECT CAST(NOW(6) AS CHAR) AS now');
      const micros = datetimeMicros(now)!;
      return new MySqlReadPoint(session, database, new Date(Number(micros / 1000n)));
    } catch (error) {
      await session.close();
      throw error;
    }
  }

  listTables(typeMode?: TypeMode): Promise<DiscoveredTable[]> {
    return new MySqlCatalog(this.session, this.database).tables(typeMode);
  }

  listUnexportedObjects(): Promise<UnexportedObject[]> {
    return new MySqlCatalog(this.session, this.database).unexportedObjects();
  }

  /** Planned inside the snapshot transaction, so boundaries match the data as of the read point. */
  planPartitions(table: DiscoveredTable, targetBytes: number): Promise<PartitionPlan> {
    return new MySqlPartitionPlanner(this.session, this.database).plan(table, targetBytes);
  }

  async release(): Promise<void> {
    await this.session.commitQuietly();
    await this.session.close();
  }
}
