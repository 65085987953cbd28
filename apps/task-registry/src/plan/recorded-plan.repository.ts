import { Injectable } from '@nestjs/common';
import { PlannedTable, TablePlanEntry, TablePlanEntrySchema } from '@snapex/contracts';
import { Connection } from '../database/registry-database';

/** export_plan_entries and export_plans: proposed plans, and the one each task keeps. */
@Injectable()
export class RecordedPlanRepository {
  /** A proposal sent again (a retried call) is the same attempt's same table: the first copy stays. */
  async propose(tx: Connection, taskId: string, attempt: string, entries: TablePlanEntry[]): Promise<void> {
    await tx.query(
      `INSERT INTO export_plan_entries (task_id, attempt, table_index, entry)
       SELECT $1, $2, (e.value->'table'->>'tableIndex')::int, e.value
       FROM jsonb_array_elements($3::jsonb) e
       ON CONFLICT DO NOTHING`,
      [taskId, attempt, JSON.stringify(entries)],
    );
  }

  async recordedAttempt(connection: Connection, taskId: string): Promise<string | null> {
    const { rows } = await connection.query<{ attempt: string }>(
      'SELECT attempt FROM export_plans WHERE task_id = $1',
      [taskId],
    );
    return rows[0]?.attempt ?? null;
  }

  async entriesOf(connection: Connection, taskId: string, attempt: string): Promise<TablePlanEntry[]> {
    const { rows } = await connection.query<{ entry: unknown }>(
      `SELECT entry FROM export_plan_entries WHERE task_id = $1 AND attempt = $2 ORDER BY table_index`,
      [taskId, attempt],
    );
    return rows.map((row) => TablePlanEntrySchema.parse(row.entry));
  }

  /** The planned tables of the task's recorded plan; empty when none is recorded. */
  async recordedTables(connection: Connection, taskId: string): Promise<PlannedTable[]> {
    const attempt = await this.recordedAttempt(connection, taskId);
    if (attempt === null) return [];
    const entries = await this.entriesOf(connection, taskId, attempt);
    return entries.filter((entry): entry is PlannedTable => entry.kind === 'planned');
  }

  /** Makes the attempt the task's plan and forgets every other attempt's proposals. */
  async record(tx: Connection, taskId: string, attempt: string): Promise<void> {
    await tx.query('INSERT INTO export_plans (task_id, attempt) VALUES ($1, $2)', [taskId, attempt]);
    await tx.query('DELETE FROM export_plan_entries WHERE task_id = $1 AND attempt <> $2', [taskId, attempt]);
  }
}
