import { S3ServiceException } from '@aws-sdk/client-s3';
import { RetryableError } from '@snapex/bus';
import { CommandFailedError } from './command';
import { EmptyDumpError } from './dump-files';
import { RestoreFailedError, restoreFailure } from './restore-failures';
import { UnrestorableDumpError } from './scratch-engine';

function s3Error(name: string, httpStatusCode: number): S3ServiceException {
  return new S3ServiceException({ name, $fault: 'client', $metadata: { httpStatusCode }, message: name });
}

describe('what a failed copy means', () => {
  it('retries an unreachable server or store', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
    expect(restoreFailure(refused, 'orders')).toBeInstanceOf(RetryableError);
    expect(restoreFailure(s3Error('SlowDown', 503), 'orders')).toBeInstanceOf(RetryableError);
  });

  it('fails the task with the program’s own words when a dump does not restore', () => {
    const failure = restoreFailure(
      new CommandFailedError('pg_restore', 1, 'pg_restore: error: bad'),
      'orders',
    );
    expect(failure).toBeInstanceOf(RestoreFailedError);
    expect((failure as RestoreFailedError).failureCause).toBe(
      'Database orders could not be restored: pg_restore exited with code 1: pg_restore: error: bad',
    );
    const wrongEngine = new UnrestorableDumpError(
      { database: 'orders', format: 'mysql-sql', key: 'k', bytes: 1 },
      'postgres',
    );
    expect(restoreFailure(wrongEngine, 'orders')).toBeInstanceOf(RestoreFailedError);
    expect(restoreFailure(new EmptyDumpError('store', 'k/'), 'orders')).toBeInstanceOf(RestoreFailedError);
  });

  it('fails the task when the store refuses the dump for good', () => {
    const failure = restoreFailure(s3Error('NoSuchKey', 404), 'orders') as RestoreFailedError;
    expect(failure.failureCause).toBe(
      'The dump of database orders could not be read from the snapshot store: NoSuchKey.',
    );
  });

  it('leaves anything else to the bus', () => {
    const unknown = new TypeError('surprise');
    expect(restoreFailure(unknown, 'orders')).toBe(unknown);
  });
});
