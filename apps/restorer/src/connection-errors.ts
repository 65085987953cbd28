import { RetryableError } from '@snapex/bus';

/** Driver codes (pg, mysql2, Node sockets) that mean the server could not be reached, not that it refused. */
const CONNECTION_ERRORS = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'PROTOCOL_CONNECTION_LOST',
  '57P03',
]);

export function isConnectionError(error: unknown): boolean {
  return CONNECTION_ERRORS.has((error as { code?: string } | null)?.code ?? '');
}

/** A server that cannot be reached now may be reachable on the next delivery. */
export async function connecting<T>(what: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (isConnectionError(error)) {
      throw new RetryableError(`${what} unreachable: ${(error as Error).message}`, 5000, { cause: error });
    }
    throw error;
  }
}
