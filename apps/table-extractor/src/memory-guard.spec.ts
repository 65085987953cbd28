import { peakResidentBytes } from './memory-guard';

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
