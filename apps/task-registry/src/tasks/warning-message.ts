import { GeneralWarning } from './task-record';

export interface SkippedTable {
  target: string;
  reason: string;
}

/** RDS's WarningMessage: a JSON string, present only when something was left out or went wrong. */
export function warningMessage(skippedTables: SkippedTable[], general: GeneralWarning[]): string | undefined {
  if (skippedTables.length === 0 && general.length === 0) return undefined;
  return JSON.stringify({
    skippedTables: skippedTables.map(({ target, reason }) => ({ target, reason })),
    skippedObjectives: [],
    general: general.map(({ reason, detail }) => (detail === undefined ? { reason } : { reason, detail })),
  });
}
