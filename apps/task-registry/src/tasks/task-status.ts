import { ACTIVE_STATUSES, ExportTaskStatus, TERMINAL_STATUSES } from '@snapex/contracts';

export function isTerminal(status: ExportTaskStatus): boolean {
  return TERMINAL_STATUSES.includes(status);
}

export function isActive(status: ExportTaskStatus): boolean {
  return ACTIVE_STATUSES.includes(status);
}

/** Work can still move the task forward: it has neither ended nor been asked to stop. */
export function isRunning(status: ExportTaskStatus): boolean {
  return status === 'STARTING' || status === 'IN_PROGRESS';
}
