import { Injectable } from '@nestjs/common';
import { Connection } from '../database/registry-database';

/** processed_events: the ids of events already applied, so a redelivery changes nothing. */
@Injectable()
export class ProcessedEventRepository {
  /**
   * Records the event as applied; false when it already was. A concurrent delivery of the same event
   * waits on the key until the first transaction ends, then sees it.
   */
  async claim(tx: Connection, eventId: string, taskId: string): Promise<boolean> {
    const { rows } = await tx.query(
      `INSERT INTO processed_events (event_id, task_id) VALUES ($1, $2)
       ON CONFLICT (event_id) DO NOTHING RETURNING event_id`,
      [eventId, taskId],
    );
    return rows.length === 1;
  }

  async isProcessed(connection: Connection, eventId: string): Promise<boolean> {
    const { rows } = await connection.query('SELECT 1 FROM processed_events WHERE event_id = $1', [eventId]);
    return rows.length === 1;
  }
}
