import { SourceFailureMessages } from '@snapex/contracts';
import type { DatabaseEngine } from './engine';
import { errorCodeOf } from './network-failures';

/**
 * What a source refused, as its error code tells: the login (user or password), a database that is
 * not there, a privilege the export user lacks, or a table that is gone.
 */
export type SourceRefusal = 'login' | 'missing-database' | 'access-denied' | 'missing-table';

/** Who snapex is to a server: where it connects, as whom, and to which database. */
export interface SourceLogin {
  server: string;
  user: string;
  database: string | null;
}

/** The login and database of a connection URL (`database` overrides the URL's own). */
export function loginOf(url: string, database: string | null): SourceLogin {
  const parsed = new URL(url);
  const inUrl = decodeURIComponent(parsed.pathname.replace(/^\//, ''));
  return {
    server: parsed.host,
    user: decodeURIComponent(parsed.username),
    database: database ?? (inUrl || null),
  };
}

/**
 * The server refused a connection: its login, or the database it was to open. Nothing another attempt
 * can change until someone fixes the source or its configuration; `failureCause` says what to fix.
 */
export class SourceRefusedError extends Error {
  readonly failureCause: string;

  constructor(
    readonly refusal: SourceRefusal,
    readonly login: SourceLogin,
    options: { cause: unknown },
  ) {
    const failureCause = connectionRefusalCause(refusal, login);
    super(failureCause, options);
    this.failureCause = failureCause;
    this.name = 'SourceRefusedError';
  }
}

function connectionRefusalCause(refusal: SourceRefusal, { server, user, database }: SourceLogin): string {
  const named = database ?? '(the server default)';
  switch (refusal) {
    case 'login':
      return SourceFailureMessages.loginRefused(server, user);
    case 'missing-database':
      return SourceFailureMessages.databaseMissing(server, named);
    case 'access-denied':
    case 'missing-table':
      return SourceFailureMessages.databaseDenied(server, named, user);
  }
}

/**
 * Opens a connection with `connect`; a refusal `refusalOf` recognises becomes a SourceRefusedError
 * naming the login, anything else (a server that cannot be reached) stays as it is.
 */
export async function connectOrExplain<T>(
  login: SourceLogin,
  refusalOf: (error: unknown) => SourceRefusal | null,
  connect: () => Promise<T>,
): Promise<T> {
  try {
    return await connect();
  } catch (error) {
    const refusal = refusalOf(error);
    if (refusal !== null) throw new SourceRefusedError(refusal, login, { cause: error });
    throw error;
  }
}

/**
 * What the user reads when reading or planning table `target` failed for good: the privilege to grant,
 * a table gone, or the error code of another lasting refusal. Null for a failure another attempt may
 * get past, which is for the caller's retry to decide.
 */
export function tableFailureCause(error: unknown, engine: DatabaseEngine, target: string): string | null {
  if (error instanceof SourceRefusedError) return error.failureCause;
  switch (engine.refusalOf(error)) {
    case 'access-denied':
      return SourceFailureMessages.tableDenied(target);
    case 'missing-table':
      return SourceFailureMessages.tableMissing(target);
    case 'login':
    case 'missing-database':
    case null:
      break;
  }
  if (engine.classifyFailure(error) !== 'permanent') return null;
  return SourceFailureMessages.tableUnreadable(target, errorCodeOf(error) ?? (error as Error).name);
}
