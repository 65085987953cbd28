import { Engine } from '@snapex/contracts';
import { DumpTool } from './dump-tool';
import { MariaDbDumpTool } from './mariadb-dump.tool';
import { PgDumpTool } from './pg-dump.tool';

const TOOLS: Record<Engine, DumpTool> = {
  postgres: new PgDumpTool(),
  mysql: new MariaDbDumpTool(),
};

/** The one place that knows which tool dumps which engine. */
export function dumpToolFor(engine: Engine): DumpTool {
  return TOOLS[engine];
}
