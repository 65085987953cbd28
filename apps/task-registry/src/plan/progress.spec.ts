import { computeProgress, TableProgress } from './progress';

function table(overrides: Partial<TableProgress>): TableProgress {
  return {
    skipped: false,
    estimatedBytes: 0,
    partitionTotal: 1,
    exported: 0,
    abandoned: 0,
    bytesExported: 0,
    ...overrides,
  };
}

describe('extraction progress', () => {
  it('weighs each exported partition by its table’s estimated size', () => {
    const progress = computeProgress([
      table({ estimatedBytes: 3000, partitionTotal: 2, exported: 1, bytesExported: 600 }),
      table({ estimatedBytes: 1000, partitionTotal: 1, exported: 0 }),
    ]);
    expect(progress).toMatchObject({
      percentProgress: 37,
      partitionsDone: 1,
      partitionsTotal: 3,
      tablesDone: 0,
      tablesTotal: 2,
      bytesExported: 600,
      allExported: false,
      allSettled: false,
    });
  });

  it('counts partitions when no table has an estimate', () => {
    const progress = computeProgress([
      table({ partitionTotal: 4, exported: 1 }),
      table({ partitionTotal: 4, exported: 2 }),
    ]);
    expect(progress.percentProgress).toBe(37);
  });

  it('stops at 99 when everything is exported, leaving 100 to the completed task', () => {
    const progress = computeProgress([table({ estimatedBytes: 10, partitionTotal: 2, exported: 2 })]);
    expect(progress).toMatchObject({
      percentProgress: 99,
      allExported: true,
      allSettled: true,
      tablesDone: 1,
    });
  });

  it('leaves skipped tables out of the totals but keeps the bytes they wrote', () => {
    const progress = computeProgress([
      table({ estimatedBytes: 100, partitionTotal: 1, exported: 1, bytesExported: 5 }),
      table({ skipped: true, estimatedBytes: 900, partitionTotal: 3, exported: 1, bytesExported: 7 }),
    ]);
    expect(progress).toMatchObject({
      percentProgress: 99,
      partitionsTotal: 1,
      tablesTotal: 1,
      bytesExported: 12,
      allExported: true,
    });
  });

  it('reports whole gigabytes', () => {
    expect(computeProgress([table({ exported: 1, bytesExported: 2_999_999_999 })]).totalExtractedGb).toBe(2);
  });

  it('is settled, not exported, when the rest was abandoned', () => {
    const progress = computeProgress([table({ partitionTotal: 3, exported: 1, abandoned: 2 })]);
    expect(progress).toMatchObject({ allExported: false, allSettled: true });
  });

  it('treats an empty plan as finished', () => {
    expect(computeProgress([])).toMatchObject({
      percentProgress: 0,
      partitionsTotal: 0,
      allExported: true,
      allSettled: true,
    });
  });
});
