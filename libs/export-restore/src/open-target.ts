import { MySqlRestoreTarget } from './mysql-target';
import { PostgresRestoreTarget } from './postgres-target';
import { OpenRestoreTarget } from './restore-target';

export class UnsupportedTargetError extends Error {
  constructor(url: string) {
    super(
      `the target must be a postgresql:// or mysql:// URL, not ${JSON.stringify(url.replace(/\/\/[^@/]*@/, '//'))}`,
    );
    this.name = 'UnsupportedTargetError';
  }
}

/** Connections to the database a URL names: postgres:// or postgresql:// for PostgreSQL, mysql:// for MySQL and MariaDB. */
export function targetFor(url: string): OpenRestoreTarget {
  const scheme = url.split(':', 1)[0].toLowerCase();
  if (scheme === 'postgres' || scheme === 'postgresql') return () => PostgresRestoreTarget.open(url);
  if (scheme === 'mysql' || scheme === 'mariadb')
    return () => MySqlRestoreTarget.open(url.replace(/^mariadb:/i, 'mysql:'));
  throw new UnsupportedTargetError(url);
}
