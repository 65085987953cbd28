import { AwsClients } from '@snapex/aws';
import { parseConfig, ScratchServerCatalogue } from '@snapex/config';
import { TaskSpec } from '@snapex/contracts';
import { createLogger } from '@snapex/logging';
import { StoppedTasks } from '@snapex/service';
import { RestoreFailedError } from './restore-failures';
import { ScratchCopies } from './scratch-copies';
import { ScratchDatabaseNames } from './scratch-database-names';
import { scratchEngines } from './scratch-engines';
import { S3SnapshotStore } from './snapshot-store';

describe('scratch copies without a scratch server of the engine', () => {
  const config = parseConfig({
    region: 'us-east-1',
    accounts: [{ id: '123456789012' }],
    scratch: { servers: [{ name: 'scratch-pg', engine: 'postgres', url: 'postgresql://u@127.0.0.1:1/x' }] },
  });
  const copies = new ScratchCopies(
    new ScratchDatabaseNames(config.scratch.databasePrefix),
    new ScratchServerCatalogue(config),
    new S3SnapshotStore(config, new AwsClients(config)),
    scratchEngines(config),
    new StoppedTasks(),
  );
  const snapshot = {
    snapshotArn: 'arn:aws:rds:us-east-1:123456789012:snapshot:shop',
    snapshotIdentifier: 'shop',
    kind: 'db-snapshot' as const,
    engine: 'mysql' as const,
    snapshotTime: '2026-11-01T12:00:00.000Z',
    archive: {
      bucket: 'store',
      dumps: [{ database: 'shop', format: 'mysql-sql' as const, key: 'k', bytes: 1 }],
    },
  };
  const spec = { taskId: '0b5e1c2a-9f3d-4c1e-8a7b-1234567890ab', accountId: '123456789012' } as TaskSpec;

  it('fails the task with a cause that names what is missing', async () => {
    const restoring = copies.restoreSnapshot(
      spec,
      snapshot,
      () => true,
      true,
      createLogger('test', 'silent'),
    );
    await expect(restoring).rejects.toThrow(RestoreFailedError);
    await expect(restoring).rejects.toThrow(
      'No scratch server is configured for mysql databases, so this export cannot be restored.',
    );
  });
});
