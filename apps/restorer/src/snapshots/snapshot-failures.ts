import { awsErrorCode, credentialRefusalOf, httpStatusOf } from '@snapex/aws';
import { PermanentError } from '@snapex/bus';
import { CredentialFailureMessages, SnapshotFailureMessages } from '@snapex/contracts';
import { errorCodeOf, SourceRefusedError } from '@snapex/engines';
import { isConnectionError } from '../connection-errors';
import { DumpFailedError } from './dump-process';

/** Where taking a snapshot had got to when it failed. */
export interface SnapshotProgress {
  source: string;
  /** The snapshot store's bucket. */
  bucket: string | null;
  /** The database being dumped; null while the source's databases are listed. */
  database: string | null;
}

/**
 * Why a snapshot could not be taken, in words that say what to fix: the source refused the login or a
 * database, could not be reached, the dump tool failed on a database, or the snapshot store refused
 * the dump. Rules snapex itself enforces (PermanentError) already speak to the user.
 */
export function snapshotFailureReason(error: unknown, progress: SnapshotProgress): string {
  if (error instanceof SourceRefusedError) return error.failureCause;
  if (error instanceof DumpFailedError) {
    return SnapshotFailureMessages.dumpFailed(progress.database ?? '(unknown)', error.message);
  }
  if (isConnectionError(error)) {
    return SnapshotFailureMessages.sourceUnreachable(progress.source, errorCodeOf(error) ?? 'no answer');
  }
  const refusal = credentialRefusalOf(error);
  if (refusal) return CredentialFailureMessages.refused(refusal);
  if (httpStatusOf(error) !== undefined) {
    return SnapshotFailureMessages.storeRefused(progress.bucket ?? '(none)', awsErrorCode(error));
  }
  if (error instanceof PermanentError) return sentence(error.message);
  return SnapshotFailureMessages.unexpected(progress.source, (error as Error).message);
}

function sentence(text: string): string {
  const capital = text.charAt(0).toUpperCase() + text.slice(1);
  return /[.!?]$/.test(capital) ? capital : `${capital}.`;
}
