import { retryDelayMs } from './retry-schedule';

describe('retryDelayMs', () => {
  const schedule = { maxAttempts: 8, initialRetryDelayMs: 1000, maxRetryDelayMs: 10_000 };

  it('doubles the delay with each attempt, between half of it and all of it', () => {
    expect([1, 2, 3, 4].map((attempt) => retryDelayMs(attempt, schedule, () => 0))).toEqual([
      500, 1000, 2000, 4000,
    ]);
    expect([1, 2, 3, 4].map((attempt) => retryDelayMs(attempt, schedule, () => 1))).toEqual([
      1000, 2000, 4000, 8000,
    ]);
  });

  it('never waits longer than the maximum', () => {
    expect(retryDelayMs(30, schedule, () => 1)).toBe(10_000);
    expect(retryDelayMs(30, schedule, () => 0)).toBe(5000);
  });

  it('spreads retries of the same attempt', () => {
    const delays = new Set(Array.from({ length: 50 }, () => retryDelayMs(3, schedule)));
    expect(delays.size).toBeGreaterThan(10);
    for (const delay of delays) expect(delay).toBeGreaterThanOrEqual(2000);
  });
});
