export const BUS_LOGGER = Symbol('snapex:bus-logger');
/** Stage named in TaskFailed when this service gives up on a task's message; null to publish nothing. */
export const FAILURE_STAGE = Symbol('snapex:failure-stage');
export type { FailureStage } from '@snapex/contracts';
