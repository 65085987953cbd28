/**
 * How a failed handler's message is settled. The bus decides by type, never by message text:
 * - RetryableError: nak with a delay; JetStream redelivers until maxDeliver, then the task fails
 *   with its `failureCause` when it has one.
 * - PermanentError: terminate; redelivery cannot help (bad input, a rule the task broke).
 * Anything else is treated as retryable: an unknown failure deserves another attempt.
 */
export class RetryableError extends Error {
  /** What the user reads if no attempt succeeds; the generic cause when absent. */
  readonly failureCause: string | undefined;
  /** The delay is the handler's own schedule (backoff and jitter applied): the bus does not double it. */
  readonly exactDelay: boolean;

  constructor(
    message: string,
    readonly delayMs = 2000,
    options?: { cause?: unknown; failureCause?: string; exactDelay?: boolean },
  ) {
    super(message, options);
    this.name = 'RetryableError';
    this.failureCause = options?.failureCause;
    this.exactDelay = options?.exactDelay ?? false;
  }
}

export class PermanentError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'PermanentError';
  }
}

/**
 * A permanent failure that already says, in words for the user, why the task fails: when the bus gives
 * up on the message it fails the task with this cause instead of the generic one.
 */
export class TaskFailureError extends PermanentError {
  constructor(
    readonly failureCause: string,
    options?: { cause?: unknown },
  ) {
    super(failureCause, options);
    this.name = 'TaskFailureError';
  }
}

/** A consumed message failed its contract's validation: terminate, never retry. */
export class InvalidMessageError extends PermanentError {
  constructor(subject: string, detail: string) {
    super(`message on ${subject} breaks its contract: ${detail}`);
    this.name = 'InvalidMessageError';
  }
}

export type Settlement = { kind: 'ack' } | { kind: 'nak'; delayMs: number } | { kind: 'term' };

export function settlementFor(error: unknown, attempt: number, maxDeliver: number): Settlement {
  if (error instanceof PermanentError) return { kind: 'term' };
  if (attempt >= maxDeliver) return { kind: 'term' };
  if (error instanceof RetryableError && error.exactDelay) return { kind: 'nak', delayMs: error.delayMs };
  const base = error instanceof RetryableError ? error.delayMs : 2000;
  return { kind: 'nak', delayMs: Math.min(base * 2 ** Math.max(0, attempt - 1), 60_000) };
}

/** What the user reads when the bus gives up on a message that failed with this error. */
export function failureCauseOf(error: unknown): string | undefined {
  if (error instanceof TaskFailureError) return error.failureCause;
  if (error instanceof RetryableError) return error.failureCause;
  return undefined;
}
