import { ReadFailureKind, ReadPointLostError } from '../engine';
import { SourceRefusedError } from '../source-refusals';
import { errorCodeOf, isNetworkFailure } from '../network-failures';
import { UnaddressableDatabaseError } from './pg-session';
import { InvalidSnapshotIdError } from './sql';
import { UnknownDecoderError } from './binary-values';

/** SQLSTATEs (or their two-character classes) of a server that is busy, restarting or out of resources. */
const TRANSIENT_STATES: readonly string[] = [
  '08',
  '53',
  '57P01',
  '57P02',
  '57P03',
  '57014',
  '40001',
  '40P01',
  '55P03',
  '58',
];

/**
 * Errors no retry can fix: privileges and missing objects (42), authentication (28), a database or
 * schema gone (3D, 3F), bad data or an unknown snapshot id (22, 22023), unsupported features (0A).
 */
const PERMANENT_STATES: readonly string[] = ['42', '28', '3D', '3F', '22', '0A'];

const OWN_PERMANENT_ERRORS = [
  InvalidSnapshotIdError,
  UnknownDecoderError,
  UnaddressableDatabaseError,
  SourceRefusedError,
  ReadPointLostError,
];

function matchesState(sqlState: string, states: readonly string[]): boolean {
  return states.some((state) => sqlState.startsWith(state));
}

/** pg reports a dropped connection as a plain Error carrying only this message. */
function isLostConnection(error: unknown): boolean {
  return error instanceof Error && /^Connection terminated/.test(error.message);
}

export function classifyPostgresFailure(error: unknown): ReadFailureKind {
  if (OWN_PERMANENT_ERRORS.some((type) => error instanceof type)) return 'permanent';
  if (isLostConnection(error)) return 'transient';
  if (isNetworkFailure(error)) return 'transient';
  const code = errorCodeOf(error);
  if (code === undefined) return 'unknown';
  if (!/^[0-9A-Z]{5}$/.test(code)) return 'unknown';
  if (matchesState(code, TRANSIENT_STATES)) return 'transient';
  if (matchesState(code, PERMANENT_STATES)) return 'permanent';
  return 'unknown';
}
