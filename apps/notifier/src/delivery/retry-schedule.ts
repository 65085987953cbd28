export interface RetrySchedule {
  maxAttempts: number;
  initialRetryDelayMs: number;
  maxRetryDelayMs: number;
}

/**
 * How long to wait after failed attempt `attempt` (1 = the first): the delay doubles with each attempt
 * up to the maximum, and a random half of it is jitter ("equal jitter"), so receivers that failed
 * together are not all retried at the same instant.
 */
export function retryDelayMs(attempt: number, schedule: RetrySchedule, random: () => number = Math.random) {
  const ceiling = Math.min(
    schedule.maxRetryDelayMs,
    schedule.initialRetryDelayMs * 2 ** Math.max(0, attempt - 1),
  );
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}
