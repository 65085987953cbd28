import { Fault, SnapshotKind } from '@snapex/contracts';
import { vocabularyOf } from './snapshot-vocabulary';

export const MAX_SNAPSHOT_IDENTIFIER_LENGTH = 255;
/** A letter, then letters and digits with single hyphens between them. */
const IDENTIFIER = /^[A-Za-z](?:-?[A-Za-z0-9])*$/;
/** RDS keeps the `rds:` prefix for the snapshots it takes itself. */
export const AUTOMATED_PREFIX = 'rds:';

/**
 * The identifier of a snapshot a user names, lower-cased as RDS stores it: 1 to 255 letters, digits
 * or hyphens, a letter first, no trailing or double hyphen, and not `rds:…`.
 */
export function manualSnapshotIdentifier(kind: SnapshotKind, identifier: string): string {
  const parameter = vocabularyOf(kind).identifierParameter;
  if (identifier.toLowerCase().startsWith(AUTOMATED_PREFIX)) {
    throw new Fault(
      'InvalidParameterValue',
      `The parameter ${parameter} is not a valid identifier: the prefix ${AUTOMATED_PREFIX} is reserved for automated snapshots.`,
    );
  }
  if (identifier.length > MAX_SNAPSHOT_IDENTIFIER_LENGTH || !IDENTIFIER.test(identifier)) {
    throw new Fault(
      'InvalidParameterValue',
      `The parameter ${parameter} is not a valid identifier. Identifiers must be 1 to ` +
        `${MAX_SNAPSHOT_IDENTIFIER_LENGTH} characters long, must begin with a letter; must contain only ASCII ` +
        'letters, digits, and hyphens; and must not end with a hyphen or contain two consecutive hyphens.',
    );
  }
  return identifier.toLowerCase();
}

/** How a caller's identifier is looked up: as stored, lower case. */
export function storedIdentifier(identifier: string): string {
  return identifier.toLowerCase();
}

/** `rds:<source>-<yyyy-mm-dd-hh-mm>` in UTC, as RDS names automated snapshots. */
export function automatedSnapshotIdentifier(sourceName: string, at: Date): string {
  const [date, time] = at.toISOString().split('T');
  return `${AUTOMATED_PREFIX}${sourceName.toLowerCase()}-${date}-${time.slice(0, 5).replace(':', '-')}`;
}
