import { MemoryGuard, peakResidentBytes } from './memory-guard';

describe('peakResidentBytes', () => {
  it("reads the kernel's high-water mark of this process", () => {
    expect(
      peakResidentBytes(() => 'Name:\tnode\nVmPeak:\t 900 kB\nVmHWM:\t   2048 kB\nVmRSS:\t 1024 kB\n'),
    ).toBe(2048 * 1024);
  });

  it('falls back to getrusage where there is no /proc', () => {
    const unavailable = () => {
      throw new Error('ENOENT');
    };
    const before = process.resourceUsage().maxRSS * 1024;
    const peak = peakResidentBytes(unavailable);
    expect(peak).toBeGreaterThanOrEqual(before);
    expect(peak).toBeLessThanOrEqual(process.resourceUsage().maxRSS * 1024);
  });

  it('is at least the resident memory now', () => {
    expect(peakResidentBytes()).toBeGreaterThanOrEqual(process.memoryUsage.rss() * 0.9);
  });
});

describe('MemoryGuard', () => {
  it('reads the resident size after the first batch, then once batches of 1/64 of the limit went by', () => {
    let readings = 0;
    const guard = new MemoryGuard(64 * 1000, () => {
      readings++;
      return 0;
    });
    guard.check(100);
    expect(readings).toBe(1);
    for (let batch = 0; batch < 9; batch++) guard.check(100);
    expect(readings).toBe(1);
    guard.check(100);
    expect(readings).toBe(2);
    guard.check(Number.POSITIVE_INFINITY);
    expect(readings).toBe(3);
  });

  it('reads it after every batch while above the mark', () => {
    let resident = 60 * 1000;
    let readings = 0;
    const guard = new MemoryGuard(64 * 1000, () => {
      readings++;
      return resident;
    });
    guard.check(1);
    guard.check(1);
    guard.check(1);
    expect(readings).toBe(3);
    resident = 0;
    guard.check(1);
    guard.check(1);
    expect(readings).toBe(4);
  });
});
