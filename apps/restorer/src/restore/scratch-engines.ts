import { SnapexConfig } from '@snapex/config';
import { Engine } from '@snapex/contracts';
import { MysqlScratchEngine } from './mysql-scratch-engine';
import { PostgresScratchEngine } from './postgres-scratch-engine';
import { ScratchEngine } from './scratch-engine';

/** Finds the scratch engine of a database engine. */
export type ScratchEngineLookup = (engine: Engine) => ScratchEngine;
export const SCRATCH_ENGINES = Symbol('restorer:scratch-engines');

/** The one place that knows which implementation makes scratch copies of which engine. */
export function scratchEngines(config: SnapexConfig): ScratchEngineLookup {
  const engines: Record<Engine, ScratchEngine> = {
    postgres: new PostgresScratchEngine(config.scratch.restoreJobs),
    mysql: new MysqlScratchEngine(),
  };
  return (engine) => engines[engine];
}
