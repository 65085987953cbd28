import { Inject, Injectable } from '@nestjs/common';
import { eventIdFor, TableStillExporting } from '@snapex/contracts';
import { Logger } from '@snapex/logging';
import { LOGGER } from '@snapex/service';
import { RegistryDatabase } from '../database/registry-database';
import { RepeatingWork } from '../database/repeating-pass';
import { OutboxRelay } from '../outbox/outbox-relay';
import { OutboxRepository } from '../outbox/outbox.repository';
import { LongRunningTable, PlanRepository } from '../plan/plan.repository';
import { REGISTRY_SETTINGS, RegistrySettings } from '../registry-settings';

/** A look at running tables this often finds a long one within a small part of its period. */
const WATCH_INTERVAL_MS = 30_000;

/**
 * Announces a table still being exported a whole period (registry.longTableNoticeMinutes, an hour
 * as RDS) after its first partition started, and again after each further period: RDS-EVENT-0487.
 * The event id names the period, so replicas that look at the same moment announce it once.
 */
@Injectable()
export class LongTableWatch extends RepeatingWork {
  constructor(
    @Inject(RegistryDatabase) private readonly database: RegistryDatabase,
    @Inject(PlanRepository) private readonly plans: PlanRepository,
    @Inject(OutboxRepository) private readonly outbox: OutboxRepository,
    @Inject(OutboxRelay) private readonly relay: OutboxRelay,
    @Inject(REGISTRY_SETTINGS) private readonly settings: RegistrySettings,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {
    super(WATCH_INTERVAL_MS);
  }

  protected async pass(): Promise<void> {
    const periodMs = this.settings.longTableNoticeMinutes * 60_000;
    const now = new Date();
    try {
      const found = await this.database.transaction(async (tx) => {
        const tables = await this.plans.longRunningTables(tx, new Date(now.getTime() - periodMs));
        for (const table of tables) {
          await this.outbox.enqueue(tx, TableStillExporting, stillExporting(table, now, periodMs));
        }
        return tables.length;
      });
      if (found > 0) this.relay.kick();
    } catch (error) {
      this.logger.warn({ err: error }, 'long-running table check failed; retrying on the next tick');
    }
  }
}

export function stillExporting(table: LongRunningTable, now: Date, periodMs: number) {
  const periodsRunning = Math.floor((now.getTime() - table.extractionStartTime.getTime()) / periodMs);
  return {
    eventId: eventIdFor(TableStillExporting, table.taskId, table.tableIndex, periodsRunning),
    taskId: table.taskId,
    accountId: table.accountId,
    exportTaskIdentifier: table.exportTaskIdentifier,
    occurredAt: now.toISOString(),
    table: {
      tableIndex: table.tableIndex,
      database: table.database,
      schema: table.schema,
      table: table.table,
    },
    target: table.target,
    extractionStartTime: table.extractionStartTime.toISOString(),
    periodsRunning,
    bytesExported: Math.round(table.bytesExported),
  };
}
