import { Engine } from '@snapex/contracts';
import { DatabaseEngine } from './engine';
import { MySqlEngine } from './mysql/mysql-engine';
import { PostgresEngine } from './postgres/postgres-engine';

export class UnsupportedEngineError extends Error {
  constructor(engine: string) {
    super(`${engine} sources are not supported yet`);
    this.name = 'UnsupportedEngineError';
  }
}

const ENGINES: Partial<Record<Engine, DatabaseEngine>> = {
  postgres: new PostgresEngine(),
  mysql: new MySqlEngine(),
};

/** The one place that knows which implementation serves which engine. */
export function engineFor(engine: Engine): DatabaseEngine {
  const found = ENGINES[engine];
  if (!found) throw new UnsupportedEngineError(engine);
  return found;
}
