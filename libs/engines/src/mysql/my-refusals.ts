import { SourceRefusal } from '../source-refusals';

export function errnoOf(error: unknown): number | undefined {
  const errno = (error as { errno?: unknown } | null)?.errno;
  return typeof errno === 'number' ? errno : undefined;
}

/**
 * Error numbers that say what the server refused: the login (1045, 1698; 1130 a host the user may not
 * log in from; 1862 an expired password; 3118 and 4151 a locked account), a database (1049), a
 * privilege on a database, table or column (1044, 1142, 1143), a table (1146).
 */
const REFUSALS: ReadonlyMap<number, SourceRefusal> = new Map([
  [1045, 'login'],
  [1698, 'login'],
  [1130, 'login'],
  [1862, 'login'],
  [3118, 'login'],
  [4151, 'login'],
  [1049, 'missing-database'],
  [1044, 'access-denied'],
  [1142, 'access-denied'],
  [1143, 'access-denied'],
  [1146, 'missing-table'],
]);

export function mySqlRefusal(error: unknown): SourceRefusal | null {
  return REFUSALS.get(errnoOf(error) ?? 0) ?? null;
}
