import { InvalidMessageError, PermanentError, RetryableError, settlementFor } from './errors';

describe('settlement by error type', () => {
  it('terminates permanent errors and invalid messages at once', () => {
    expect(settlementFor(new PermanentError('no'), 1, 10)).toEqual({ kind: 'term' });
    expect(settlementFor(new InvalidMessageError('s', 'bad'), 1, 10)).toEqual({ kind: 'term' });
  });

  it('naks retryable and unknown errors with a growing delay, up to the last delivery', () => {
    expect(settlementFor(new RetryableError('later', 1000), 1, 10)).toEqual({ kind: 'nak', delayMs: 1000 });
    expect(settlementFor(new RetryableError('later', 1000), 3, 10)).toEqual({ kind: 'nak', delayMs: 4000 });
    expect(settlementFor(new Error('boom'), 1, 10)).toEqual({ kind: 'nak', delayMs: 2000 });
    expect(settlementFor(new RetryableError('later', 50_000), 5, 10)).toEqual({
      kind: 'nak',
      delayMs: 60_000,
    });
    expect(settlementFor(new RetryableError('later'), 10, 10)).toEqual({ kind: 'term' });
  });

  it("naks with the handler's own delay when it schedules its retries itself", () => {
    const scheduled = new RetryableError('later', 1234, { exactDelay: true });
    expect(settlementFor(scheduled, 4, 10)).toEqual({ kind: 'nak', delayMs: 1234 });
    expect(settlementFor(scheduled, 10, 10)).toEqual({ kind: 'term' });
  });
});
