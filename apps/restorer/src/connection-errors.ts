import { RetryableError, TaskFailureError } from '@snapex/bus';
import { errorCodeOf, isNetworkFailure, SourceRefusedError } from '@snapex/engines';

/** Beyond the socket errors every engine knows: a pg server starting up, a mysql2 link that dropped. */
const DRIVER_CONNECTION_ERRORS = new Set(['PROTOCOL_CONNECTION_LOST', '57P03']);

export function isConnectionError(error: unknown): boolean {
  return isNetworkFailure(error) || DRIVER_CONNECTION_ERRORS.has(errorCodeOf(error) ?? '');
}

/**
 * A server that cannot be reached now may be reachable on the next delivery; one that refused the
 * login or the database will refuse it again, so the task fails with what to fix.
 */
export async function connecting<T>(what: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (isConnectionError(error)) {
      throw new RetryableError(`${what} unreachable: ${(error as Error).message}`, 5000, { cause: error });
    }
    if (error instanceof SourceRefusedError) throw new TaskFailureError(error.failureCause, { cause: error });
    throw error;
  }
}
