import { RetryableError, TaskFailureError } from '@snapex/bus';
import { awsErrorCode, httpStatusOf, isTransientAwsError } from '@snapex/aws';
import { SourceRefusedError } from '@snapex/engines';
import { isConnectionError } from '../connection-errors';
import { DumpFailedError } from '../snapshots/dump-process';
import { CommandFailedError } from './command';
import { EmptyDumpError } from './dump-files';
import { UnrestorableDumpError } from './scratch-engine';

/** A snapshot or live database that cannot be copied into a scratch database: the task fails with failureCause. */
export class RestoreFailedError extends TaskFailureError {
  constructor(failureCause: string, options?: { cause?: unknown }) {
    super(failureCause, options);
    this.name = 'RestoreFailedError';
  }
}

/**
 * What a failed copy of `database` means: an unreachable server or store is retried, a dump that cannot be
 * read or restored fails the task, anything else is left to the bus (retried, then an internal error).
 */
export function restoreFailure(error: unknown, database: string): unknown {
  if (isConnectionError(error) || isTransientAwsError(error)) {
    return new RetryableError(`copying ${database}: ${(error as Error).message}`, 5000, { cause: error });
  }
  if (error instanceof SourceRefusedError)
    return new RestoreFailedError(error.failureCause, { cause: error });
  if (
    error instanceof CommandFailedError ||
    error instanceof DumpFailedError ||
    error instanceof UnrestorableDumpError ||
    error instanceof EmptyDumpError
  ) {
    return new RestoreFailedError(`Database ${database} could not be restored: ${error.message}`, {
      cause: error,
    });
  }
  if (httpStatusOf(error) !== undefined) {
    return new RestoreFailedError(
      `The dump of database ${database} could not be read from the snapshot store: ${awsErrorCode(error)}.`,
      { cause: error },
    );
  }
  return error;
}
