import { ReadFailureKind } from '../engine';
import { SourceRefusedError } from '../source-refusals';
import { errnoOf, mySqlRefusal } from './my-refusals';
import { errorCodeOf, isNetworkFailure } from '../network-failures';
import { InvalidKeyBoundError } from './my-sql';
import { UnexpectedMySqlValueError, UnknownMySqlDecoderError } from './my-values';

/** mysql2's own codes for a connection that broke or stopped answering. */
const LOST_CONNECTION_CODES: ReadonlySet<string> = new Set([
  'PROTOCOL_CONNECTION_LOST',
  'PROTOCOL_SEQUENCE_TIMEOUT',
  'PROTOCOL_ENQUEUE_AFTER_FATAL_ERROR',
]);

/**
 * Server error numbers of a server that is busy, restarting or short of resources: too many
 * connections (1040, 1203), out of memory (1037, 1038, 1041), shutting down (1053, 1077-1080),
 * lock wait and deadlock (1205, 1213), interrupted or killed (1317, 1927, 3024, 1969),
 * gone away and lost (2006, 2013), a table changed under a snapshot transaction (1412).
 */
const TRANSIENT_ERRNOS: ReadonlySet<number> = new Set([
  1037, 1038, 1040, 1041, 1053, 1412, 1077, 1078, 1079, 1080, 1203, 1205, 1213, 1317, 1927, 1969, 2006, 2013,
  3024,
]);

/**
 * Errors no retry can fix: access denied (1044, 1045, 1142, 1143, 1227, 1370), unknown database,
 * table or column (1049, 1051, 1054, 1146), a statement the server rejects (1064, 1149), a table
 * that cannot be read (1194, 1932).
 */
const PERMANENT_ERRNOS: ReadonlySet<number> = new Set([
  1044, 1045, 1049, 1051, 1054, 1064, 1142, 1143, 1146, 1149, 1194, 1227, 1370, 1932,
]);

const OWN_PERMANENT_ERRORS = [
  InvalidKeyBoundError,
  UnknownMySqlDecoderError,
  UnexpectedMySqlValueError,
  SourceRefusedError,
];

export function classifyMySqlFailure(error: unknown): ReadFailureKind {
  if (OWN_PERMANENT_ERRORS.some((type) => error instanceof type)) return 'permanent';
  if (isNetworkFailure(error)) return 'transient';
  const code = errorCodeOf(error);
  if (code !== undefined && LOST_CONNECTION_CODES.has(code)) return 'transient';
  const errno = errnoOf(error);
  if (errno === undefined || code === undefined) return 'unknown';
  if (mySqlRefusal(error) !== null) return 'permanent';
  if (TRANSIENT_ERRNOS.has(errno)) return 'transient';
  if (PERMANENT_ERRNOS.has(errno)) return 'permanent';
  return 'unknown';
}
