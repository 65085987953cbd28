import { SkippedObjective } from '@snapex/contracts';
import { GeneralWarning } from './task-record';

export interface SkippedTable {
  target: string;
  reason: string;
}

/** RDS's WarningMessage: a JSON string, present only when something was left out or went wrong. */
export function warningMessage(
  skippedTables: SkippedTable[],
  general: GeneralWarning[],
  skippedObjectives: SkippedObjective[] = [],
): string | undefined {
  if (skippedTables.length === 0 && general.length === 0 && skippedObjectives.length === 0) return undefined;
  return JSON.stringify({
    skippedTables: skippedTables.map(({ target, reason }) => ({ target, reason })),
    skippedObjectives: skippedObjectives.map(({ objective, reason, detail }) =>
      detail === undefined ? { objective, reason } : { objective, reason, detail },
    ),
    general: general.map(({ reason, detail }) => (detail === undefined ? { reason } : { reason, detail })),
  });
}
