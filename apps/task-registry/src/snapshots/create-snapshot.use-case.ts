import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { SNAPSHOT_STORE, SnapshotStore } from '@snapex/aws';
import { SourceCatalogue, SourceConfig } from '@snapex/config';
import {
  eventIdFor,
  Fault,
  SnapshotKind,
  SnapshotRequested,
  snapshotEventFields,
  SnapshotType,
  SnapshotView,
} from '@snapex/contracts';
import { isUniqueViolation, RegistryDatabase } from '../database/registry-database';
import { OutboxRelay } from '../outbox/outbox-relay';
import { OutboxRepository } from '../outbox/outbox.repository';
import { REGISTRY_SETTINGS, RegistrySettings } from '../registry-settings';
import { manualSnapshotIdentifier } from './snapshot-identifiers';
import { SnapshotRecord, toSnapshotView } from './snapshot-record';
import { NewSnapshot, SnapshotRepository } from './snapshot.repository';
import { requireStore } from './snapshot-store.provider';
import { snapshotArn, SnapshotFaults } from './snapshot-vocabulary';

export interface SnapshotOrder {
  accountId: string;
  kind: SnapshotKind;
  identifier: string;
  source: SourceConfig;
  snapshotType: SnapshotType;
}

/**
 * CreateDBSnapshot / CreateDBClusterSnapshot: the snapshot is `creating` at once, and its dump waits on
 * the work queue (announced through the outbox in the same transaction).
 */
@Injectable()
export class CreateSnapshotUseCase {
  constructor(
    @Inject(RegistryDatabase) private readonly database: RegistryDatabase,
    @Inject(SnapshotRepository) private readonly snapshots: SnapshotRepository,
    @Inject(OutboxRepository) private readonly outbox: OutboxRepository,
    @Inject(OutboxRelay) private readonly relay: OutboxRelay,
    @Inject(SourceCatalogue) private readonly catalogue: SourceCatalogue,
    @Inject(SNAPSHOT_STORE) private readonly store: SnapshotStore | null,
    @Inject(REGISTRY_SETTINGS) private readonly settings: RegistrySettings,
  ) {}

  async execute(
    accountId: string,
    kind: SnapshotKind,
    identifier: string,
    sourceIdentifier: string,
  ): Promise<SnapshotView> {
    const checked = manualSnapshotIdentifier(kind, identifier);
    const source = this.catalogue.find(accountId, sourceIdentifier);
    if (!source) throw SnapshotFaults.sourceNotFound(kind, sourceIdentifier);
    const created = await this.order({
      accountId,
      kind,
      identifier: checked,
      source,
      snapshotType: 'manual',
    });
    return toSnapshotView(created);
  }

  /** Records a `creating` snapshot and queues its dump; the identifier is already checked. */
  async order(order: SnapshotOrder): Promise<SnapshotRecord> {
    const store = requireStore(this.store);
    const snapshot: NewSnapshot = {
      snapshotId: randomUUID(),
      accountId: order.accountId,
      kind: order.kind,
      identifier: order.identifier,
      arn: snapshotArn(this.settings.region, order.accountId, order.kind, order.identifier),
      engine: order.source.engine,
      sourceName: order.source.name,
      status: 'creating',
      snapshotType: order.snapshotType,
      archive: null,
      totalBytes: 0,
      snapshotTime: null,
    };
    const created = await this.database.transaction(async (tx) => {
      const record = await insertSnapshot(
        this.snapshots,
        tx,
        snapshot,
        this.settings.maxManualSnapshotsPerAccount,
      );
      await this.outbox.enqueue(tx, SnapshotRequested, {
        ...snapshotEventFields({ ...record, snapshotIdentifier: record.identifier }),
        eventId: eventIdFor(SnapshotRequested, record.snapshotId),
        snapshotArn: record.arn,
        sourceName: record.sourceName,
        engine: record.engine,
        bucket: store.bucket,
        keyPrefix: store.folderOf(record.accountId, record.kind, record.identifier),
      });
      return record;
    });
    this.relay.kick();
    return created;
  }
}

/**
 * Inserts a snapshot: a manual one only within the account's quota, and an identifier already taken
 * in the account is the kind's AlreadyExists fault.
 */
export async function insertSnapshot(
  snapshots: SnapshotRepository,
  tx: Parameters<SnapshotRepository['insert']>[0],
  snapshot: NewSnapshot,
  maxManualSnapshots: number,
): Promise<SnapshotRecord> {
  if (snapshot.snapshotType === 'manual') {
    await snapshots.lockAccount(tx, snapshot.accountId);
    if ((await snapshots.countManual(tx, snapshot.accountId)) >= maxManualSnapshots) {
      throw new Fault(
        'SnapshotQuotaExceeded',
        `The request would exceed the account's quota of ${maxManualSnapshots} manual snapshots. ` +
          'Delete a snapshot and retry.',
      );
    }
  }
  try {
    return await snapshots.insert(tx, snapshot);
  } catch (error) {
    if (isUniqueViolation(error, 'snapshots_identifier_per_account')) {
      throw SnapshotFaults.alreadyExists(snapshot.kind, snapshot.identifier);
    }
    throw error;
  }
}
