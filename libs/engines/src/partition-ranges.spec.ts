import { keyRangePlan, quantilesOf } from './partition-ranges';

describe('key quantiles', () => {
  it('picks the values at even fractions of a sample, compared as integers', () => {
    const sample = Array.from({ length: 100 }, (_, index) => String(100 - index));
    expect(quantilesOf(sample, 4)).toEqual(['25', '50', '75']);
    expect(quantilesOf(['18446744073709551615', '9', '100'], 3)).toEqual(['9', '100']);
    expect(quantilesOf([], 4)).toEqual([]);
  });

  it('plans ranges above the minimum, dropping repeated boundaries of skewed keys', () => {
    const plan = keyRangePlan({ name: 'id', type: 'int' }, { min: '1', max: '99' }, ['1', '5', '5', '50']);
    expect(plan.ranges.map((range) => [range?.lower, range?.upper])).toEqual([
      [null, '5'],
      ['5', '50'],
      ['50', null],
    ]);
    expect(plan.info).toEqual({
      numberOfPartitions: 3,
      constraintType: 'PRIMARY_KEY',
      partitionColumns: [{ columnName: 'id', columnType: 'int', min: '1', max: '99' }],
    });
  });
});
