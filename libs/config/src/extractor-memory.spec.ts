import { extractorMemoryPlan, ExtractorMemorySettings, MIN_ROW_GROUP_BYTES } from './extractor-memory';
import { parseConfig } from './load-config';

const MiB = 1024 * 1024;
const minimal = { region: 'us-east-1', accounts: [{ id: '123456789012' }] };
const settings: ExtractorMemorySettings = {
  memoryLimitBytes: 768 * MiB,
  concurrency: 2,
  encoderThreads: 2,
  uploadPartBytes: 8 * MiB,
  uploadQueueSize: 4,
};

function planOf(overrides: Partial<ExtractorMemorySettings>) {
  const verdict = extractorMemoryPlan({ ...settings, ...overrides });
  if (!('plan' in verdict)) throw new Error(verdict.problem);
  return verdict.plan;
}

describe('the extractor memory plan', () => {
  it('fits the defaults, with row groups that grow with the limit', () => {
    const small = planOf({});
    const large = planOf({ memoryLimitBytes: 2048 * MiB });
    expect(small.maxRowGroupBytes).toBeGreaterThanOrEqual(MIN_ROW_GROUP_BYTES);
    expect(large.maxRowGroupBytes).toBeGreaterThan(small.maxRowGroupBytes);
    expect(small.maxBatchBytes).toBe(Math.floor(small.maxRowGroupBytes / 4));
    expect(small.maxBytesInFlight).toBe(2 * small.maxRowGroupBytes);
  });

  it('never starts more threads than there can be files at once', () => {
    expect(planOf({ concurrency: 1, encoderThreads: 8 }).encoderThreads).toBe(1);
    expect(planOf({ concurrency: 3, encoderThreads: 2, memoryLimitBytes: 1024 * MiB }).encoderThreads).toBe(
      2,
    );
  });

  it('gives each file less room as more share a thread', () => {
    const alone = planOf({ concurrency: 2, encoderThreads: 2, memoryLimitBytes: 1024 * MiB });
    const shared = planOf({ concurrency: 4, encoderThreads: 2, memoryLimitBytes: 1024 * MiB });
    expect(shared.maxRowGroupBytes).toBeLessThan(alone.maxRowGroupBytes);
  });

  it('refuses at start-up a limit the fixed costs do not fit in, naming the setting', () => {
    expect(() =>
      parseConfig({ ...minimal, extractor: { memoryLimitBytes: 192 * MiB, concurrency: 2 } }, {}),
    ).toThrow(/config: extractor\.memoryLimitBytes: 192 MiB cannot hold the extractor: .* need at least \d+/);
    expect(() => parseConfig({ ...minimal, extractor: { memoryLimitBytes: 192 * MiB } }, {})).toThrow(
      /lower extractor\.concurrency, encoderThreads, uploadQueueSize or uploadPartBytes/,
    );
    expect(parseConfig(minimal, {}).extractor.memoryLimitBytes).toBe(768 * MiB);
  });
});
