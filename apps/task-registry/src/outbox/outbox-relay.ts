import { Inject, Injectable } from '@nestjs/common';
import { EventPublisher } from '@snapex/bus';
import { Logger } from '@snapex/logging';
import { LOGGER } from '@snapex/service';
import { RegistryDatabase } from '../database/registry-database';
import { RepeatingWork } from '../database/repeating-pass';
import { OutboxEntry, OutboxRepository } from './outbox.repository';

const POLL_INTERVAL_MS = 1000;
const BATCH_SIZE = 100;
const KEEP_PUBLISHED_MS = 24 * 3600 * 1000;
const CLEANUP_EVERY_RUNS = 3600;

/**
 * Publishes outbox entries right after the transaction that wrote them commits, and on a timer for
 * anything a crash or a bus outage left behind. JetStream drops a republished eventId, so sending an
 * entry twice is harmless; losing one is not.
 */
@Injectable()
export class OutboxRelay extends RepeatingWork {
  private runs = 0;

  constructor(
    @Inject(RegistryDatabase) private readonly database: RegistryDatabase,
    @Inject(OutboxRepository) private readonly outbox: OutboxRepository,
    @Inject(EventPublisher) private readonly publisher: EventPublisher,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {
    super(POLL_INTERVAL_MS);
  }

  /** Publishes what is waiting. */
  protected async pass(): Promise<void> {
    try {
      while (!this.passes.isStopped && (await this.publishBatch()) === BATCH_SIZE);
      if (++this.runs % CLEANUP_EVERY_RUNS === 0) await this.deleteOldEntries();
    } catch (error) {
      this.logger.warn({ err: error }, 'outbox relay pass failed; retrying on the next tick');
    }
  }

  /** Returns how many entries went out; fewer than a full batch means nothing more is waiting now. */
  private async publishBatch(): Promise<number> {
    return this.database.transaction(async (tx) => {
      const entries = await this.outbox.lockUnpublished(tx, BATCH_SIZE);
      const published: string[] = [];
      for (const entry of entries) {
        if (!(await this.tryPublish(entry))) break;
        published.push(entry.id);
      }
      // Entries sent before a failure are recorded; the rest wait, keeping their order.
      await this.outbox.markPublished(tx, published);
      return published.length;
    });
  }

  private async tryPublish(entry: OutboxEntry): Promise<boolean> {
    try {
      await this.publisher.publishRaw(entry.subject, entry.eventId, entry.json, entry.trace);
      return true;
    } catch (error) {
      this.logger.warn(
        { err: error, eventId: entry.eventId },
        'outbox relay could not publish; retrying later',
      );
      return false;
    }
  }

  private async deleteOldEntries(): Promise<void> {
    await this.database.transaction((tx) =>
      this.outbox.deletePublishedBefore(tx, new Date(Date.now() - KEEP_PUBLISHED_MS)),
    );
  }
}
