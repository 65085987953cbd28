import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { SNAPSHOT_STORE, SnapshotStore, StoredObject } from '@snapex/aws';
import { SourceCatalogue } from '@snapex/config';
import {
  DatabaseDump,
  DumpFormat,
  DumpObjectInput,
  Engine,
  Fault,
  RpcRequest,
  RegisterSnapshotRpc,
  SnapshotView,
} from '@snapex/contracts';
import { RegistryDatabase } from '../database/registry-database';
import { REGISTRY_SETTINGS, RegistrySettings } from '../registry-settings';
import { insertSnapshot } from './create-snapshot.use-case';
import { manualSnapshotIdentifier } from './snapshot-identifiers';
import { toSnapshotView } from './snapshot-record';
import { SnapshotRepository } from './snapshot.repository';
import { requireStore } from './snapshot-store.provider';
import { snapshotArn, SnapshotFaults } from './snapshot-vocabulary';

/** The dump formats each engine restores from. */
const FORMATS_OF: Record<Engine, readonly DumpFormat[]> = {
  postgres: ['pg-custom', 'pg-directory'],
  mysql: ['mysql-sql'],
};

type RegisterRequest = RpcRequest<typeof RegisterSnapshotRpc>;

/**
 * RegisterDBSnapshot / RegisterDBClusterSnapshot (snapex's own actions): dumps already in the snapshot
 * store become an available snapshot of a registered source, once every object is found there.
 */
@Injectable()
export class RegisterSnapshotUseCase {
  constructor(
    @Inject(RegistryDatabase) private readonly database: RegistryDatabase,
    @Inject(SnapshotRepository) private readonly snapshots: SnapshotRepository,
    @Inject(SourceCatalogue) private readonly catalogue: SourceCatalogue,
    @Inject(SNAPSHOT_STORE) private readonly store: SnapshotStore | null,
    @Inject(REGISTRY_SETTINGS) private readonly settings: RegistrySettings,
  ) {}

  async execute(request: RegisterRequest): Promise<SnapshotView> {
    const { accountId, kind } = request;
    const store = requireStore(this.store);
    const identifier = manualSnapshotIdentifier(kind, request.snapshotIdentifier);
    const source = this.catalogue.find(accountId, request.sourceIdentifier);
    if (!source) throw SnapshotFaults.sourceNotFound(kind, request.sourceIdentifier);
    if (request.engine !== undefined && request.engine !== source.engine) {
      throw new Fault(
        'InvalidParameterValue',
        `The parameter Engine ${request.engine} does not match the engine of ${source.name} (${source.engine}).`,
      );
    }
    checkDumps(request.dumps, source.engine);
    checkOwnArea(request.dumps, store.accountFolderOf(accountId));
    const found = await Promise.all(request.dumps.map((dump) => this.findDump(store, dump)));
    const dumps: DatabaseDump[] = found.map(({ dump }) => dump);
    const snapshotTime = new Date(Math.max(...found.map(({ object }) => object.lastModified.getTime())));
    const created = await this.database.transaction((tx) =>
      insertSnapshot(
        this.snapshots,
        tx,
        {
          snapshotId: randomUUID(),
          accountId,
          kind,
          identifier,
          arn: snapshotArn(this.settings.region, accountId, kind, identifier),
          engine: source.engine,
          sourceName: source.name,
          status: 'available',
          snapshotType: 'manual',
          archive: { bucket: store.bucket, dumps },
          totalBytes: dumps.reduce((sum, dump) => sum + dump.bytes, 0),
          snapshotTime,
        },
        this.settings.maxManualSnapshotsPerAccount,
      ),
    );
    return toSnapshotView(created);
  }

  private async findDump(
    store: SnapshotStore,
    input: DumpObjectInput,
  ): Promise<{ dump: DatabaseDump; object: StoredObject }> {
    const key =
      input.Format === 'pg-directory' && !input.S3Key.endsWith('/') ? `${input.S3Key}/` : input.S3Key;
    const object = await store.describe(key);
    if (!object) {
      throw new Fault(
        'InvalidParameterValue',
        `The dump of ${input.Database} was not found in the snapshot store: s3://${store.bucket}/${key}`,
      );
    }
    return { dump: { database: input.Database, format: input.Format, key, bytes: object.bytes }, object };
  }
}

/**
 * An account registers only what lies in its own folder of the shared store: another account's dumps
 * are not its data, and a prefix wider than its folder would let a later delete reach theirs.
 */
function checkOwnArea(dumps: DumpObjectInput[], accountFolder: string): void {
  for (const dump of dumps) {
    if (!dump.S3Key.startsWith(accountFolder) || dump.S3Key.length === accountFolder.length) {
      throw new Fault(
        'InvalidParameterValue',
        `The dump of ${dump.Database} must lie in your folder of the snapshot store, under ${accountFolder}.`,
      );
    }
  }
}

function checkDumps(dumps: DumpObjectInput[], engine: Engine): void {
  if (dumps.length === 0) {
    throw new Fault('InvalidParameterValue', 'The parameter Dumps must name at least one dump object.');
  }
  const databases = new Set<string>();
  for (const dump of dumps) {
    if (!FORMATS_OF[engine].includes(dump.Format)) {
      throw new Fault(
        'InvalidParameterValue',
        `The dump format ${dump.Format} of ${dump.Database} cannot be restored into ${engine}; ` +
          `use ${FORMATS_OF[engine].join(' or ')}.`,
      );
    }
    if (dump.Database === '' || dump.S3Key === '') {
      throw new Fault('InvalidParameterValue', 'Every dump needs a Database and an S3Key.');
    }
    if (databases.has(dump.Database)) {
      throw new Fault('InvalidParameterValue', `The database ${dump.Database} is named twice in Dumps.`);
    }
    databases.add(dump.Database);
  }
}
