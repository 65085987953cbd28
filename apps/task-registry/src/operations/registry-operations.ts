import { Inject, Injectable, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { EXPORT_TASK_STATUSES } from '@snapex/contracts';
import { gauge, HealthChecks, withinMs } from '@snapex/telemetry';
import { RegistryDatabase } from '../database/registry-database';

/** How long a scrape waits for the task counts before it reports none. */
const COUNT_TIMEOUT_MS = 2000;

let countedDatabase: RegistryDatabase | null = null;

gauge({
  name: 'snapex_export_tasks',
  help: 'Export tasks in the registry, by status (absent while the database does not answer)',
  labelNames: ['status'] as const,
  async collect() {
    this.reset();
    if (!countedDatabase) return;
    const query = countedDatabase.pool.query<{ status: string; count: string }>(
      'SELECT status, count(*) AS count FROM export_tasks GROUP BY status',
    );
    const result = await withinMs(query, COUNT_TIMEOUT_MS).catch(() => null);
    if (!result) return;
    const counts = new Map(result.rows.map((row) => [row.status, Number(row.count)]));
    for (const status of EXPORT_TASK_STATUSES) this.set({ status }, counts.get(status) ?? 0);
  },
});

/**
 * The registry is ready while its database answers; its metrics count the tasks in each status,
 * read from the database on each scrape (so every replica reports the same, whole, figures).
 */
@Injectable()
export class RegistryOperations implements OnModuleInit, OnModuleDestroy {
  constructor(
    @Inject(HealthChecks) private readonly health: HealthChecks,
    @Inject(RegistryDatabase) private readonly database: RegistryDatabase,
  ) {}

  onModuleInit(): void {
    countedDatabase = this.database;
    this.health.add('registry-database', async () => {
      await this.database.pool.query('SELECT 1');
      return { ok: true };
    });
  }

  onModuleDestroy(): void {
    if (countedDatabase === this.database) countedDatabase = null;
  }
}
