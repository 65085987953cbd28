import { errorCodeOf } from '../network-failures';
import { SourceRefusal } from '../source-refusals';

/**
 * SQLSTATEs that say what the server refused: a password or role (28P01, 28000), a database (3D000),
 * a privilege (42501), a table or its schema (42P01, 3F000).
 */
const REFUSALS: Readonly<Record<string, SourceRefusal>> = {
  '28P01': 'login',
  '28000': 'login',
  '3D000': 'missing-database',
  '42501': 'access-denied',
  '42P01': 'missing-table',
  '3F000': 'missing-table',
};

export function postgresRefusal(error: unknown): SourceRefusal | null {
  return REFUSALS[errorCodeOf(error) ?? ''] ?? null;
}
