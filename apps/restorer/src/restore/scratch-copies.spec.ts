import { AwsClients } from '@snapex/aws';
import { RetryableError } from '@snapex/bus';
import { parseConfig, ScratchServerCatalogue } from '@snapex/config';
import { TaskSpec } from '@snapex/contracts';
import { createLogger } from '@snapex/logging';
import { StoppedTasks } from '@snapex/service';
import { CommandFailedError } from './command';
import { RestoreFailedError } from './restore-failures';
import { ScratchCopies } from './scratch-copies';
import { ScratchDatabaseNames } from './scratch-database-names';
import { ScratchEngine } from './scratch-engine';
import { ScratchEngineLookup, scratchEngines } from './scratch-engines';
import { S3SnapshotStore } from './snapshot-store';

/** A one-database MariaDB snapshot, and the task restoring it. */
const SNAPSHOT = {
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
const SPEC = { taskId: '0b5e1c2a-9f3d-4c1e-8a7b-1234567890ab', accountId: '123456789012' } as TaskSpec;

function configWith(server: { name: string; engine: 'postgres' | 'mysql'; url: string }) {
  return parseConfig({
    region: 'us-east-1',
    accounts: [{ id: '123456789012' }],
    scratch: { servers: [server] },
  });
}

function copiesOf(config: ReturnType<typeof parseConfig>, engines: ScratchEngineLookup): ScratchCopies {
  return new ScratchCopies(
    new ScratchDatabaseNames(config.scratch.databasePrefix),
    new ScratchServerCatalogue(config),
    new S3SnapshotStore(config, new AwsClients(config)),
    engines,
    new StoppedTasks(),
  );
}

function restore(copies: ScratchCopies): Promise<unknown> {
  return copies.restoreSnapshot(SPEC, SNAPSHOT, () => true, true, createLogger('test', 'silent'));
}

describe('scratch copies without a scratch server of the engine', () => {
  const config = configWith({ name: 'scratch-pg', engine: 'postgres', url: 'postgresql://u@127.0.0.1:1/x' });

  it('fails the task with a cause that names what is missing', async () => {
    const restoring = restore(copiesOf(config, scratchEngines(config)));
    await expect(restoring).rejects.toThrow(RestoreFailedError);
    await expect(restoring).rejects.toThrow(
      'No scratch server is configured for mysql databases, so this export cannot be restored.',
    );
  });
});

describe('a restore whose client program fails', () => {
  const config = configWith({ name: 'scratch-my', engine: 'mysql', url: 'mysql://root@127.0.0.1:1/' });

  /** An engine whose client exits with an error, on a server that answers afterwards or not. */
  function restoringWith(serverAnswers: boolean): Promise<unknown> {
    const engine = {
      ...scratchEngines(config)('mysql'),
      recreateDatabase: () => Promise.reject(new CommandFailedError('mariadb', 1, 'Lost connection')),
      listDatabases: () =>
        serverAnswers ? Promise.resolve([]) : Promise.reject(new Error('connect ECONNREFUSED')),
    } as ScratchEngine;
    return restore(copiesOf(config, () => engine));
  }

  it('is retried when the scratch server no longer answers: the dump is not at fault', async () => {
    await expect(restoringWith(false)).rejects.toBeInstanceOf(RetryableError);
  });

  it('fails the task with the program’s own error when the server is fine', async () => {
    await expect(restoringWith(true)).rejects.toThrow(
      'Database shop could not be restored: mariadb exited with code 1: Lost connection',
    );
  });
});
