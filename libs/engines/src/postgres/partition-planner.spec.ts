import { distinctSorted, rangesBetween } from '../partition-ranges';
import { pageBoundaries } from './partition-planner';

describe('partition ranges', () => {
  it('covers everything with open first and last bounds', () => {
    expect(rangesBetween('id', 'PRIMARY_KEY', ['10', '20'])).toEqual([
      { column: 'id', constraintType: 'PRIMARY_KEY', lower: null, upper: '10' },
      { column: 'id', constraintType: 'PRIMARY_KEY', lower: '10', upper: '20' },
      { column: 'id', constraintType: 'PRIMARY_KEY', lower: '20', upper: null },
    ]);
    expect(rangesBetween('ctid', 'CTID', [])).toEqual([
      { column: 'ctid', constraintType: 'CTID', lower: null, upper: null },
    ]);
  });

  it('cuts pages into runs of about the same length', () => {
    expect(pageBoundaries(100, 4)).toEqual(['25', '50', '75']);
    expect(pageBoundaries(10, 3)).toEqual(['4', '8']);
    expect(pageBoundaries(1, 4)).toEqual([]);
  });

  it('sorts key boundaries as integers and drops repeats from skewed keys', () => {
    expect(distinctSorted(['100', '9', '9', '-5', '9223372036854775807'])).toEqual([
      '-5',
      '9',
      '100',
      '9223372036854775807',
    ]);
  });
});
