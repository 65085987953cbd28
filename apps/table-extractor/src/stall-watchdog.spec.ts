import { getEventListeners } from 'node:events';
import { PartitionStalledError, StallWatchdog } from './stall-watchdog';

describe('StallWatchdog', () => {
  let watchdog: StallWatchdog;

  afterEach(() => watchdog.stop());

  it('passes results through and keeps nothing attached once a guarded wait settles', async () => {
    watchdog = new StallWatchdog(60_000);
    for (let batch = 0; batch < 100; batch++) {
      expect(await watchdog.guard('database', Promise.resolve(batch))).toBe(batch);
    }
    await expect(watchdog.guard('storage', Promise.reject(new Error('refused')))).rejects.toThrow('refused');
    // A listener left behind would hold its wait's result (a batch of rows) until the partition ends.
    expect(getEventListeners(watchdog.signal, 'abort')).toHaveLength(0);
  });

  it('fails a wait that outlasts the timeout without progress, naming what it waited for', async () => {
    watchdog = new StallWatchdog(40);
    const never = new Promise<never>(() => undefined);
    const failure = await watchdog.guard('storage', never).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(PartitionStalledError);
    expect(failure).toMatchObject({ stalledOn: 'storage' });
    expect(watchdog.signal.aborted).toBe(true);
    await expect(watchdog.guard('database', Promise.resolve(1))).rejects.toBeInstanceOf(
      PartitionStalledError,
    );
  });

  it('lets a slow partition go on while it makes progress', async () => {
    watchdog = new StallWatchdog(80);
    for (let step = 0; step < 5; step++) {
      await watchdog.guard('database', new Promise((resolve) => setTimeout(resolve, 30)));
      watchdog.progressed();
    }
    expect(watchdog.signal.aborted).toBe(false);
  });
});
