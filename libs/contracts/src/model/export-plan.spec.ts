import { PartitionRange } from './table-plan';
import { rangeTilingFault } from './export-plan';

function range(lower: string | null, upper: string | null, column = 'id'): PartitionRange {
  return { column, constraintType: 'PRIMARY_KEY', lower, upper };
}

describe('rangeTilingFault', () => {
  it('accepts a whole-table partition and ranges that meet end to start', () => {
    expect(rangeTilingFault([null])).toBeNull();
    expect(rangeTilingFault([range(null, null)])).toBeNull();
    expect(rangeTilingFault([range(null, '10'), range('10', '20'), range('20', null)])).toBeNull();
    expect(
      rangeTilingFault([
        range(null, '-5'),
        range('-5', '99999999999999999999'),
        range('99999999999999999999', null),
      ]),
    ).toBeNull();
  });

  it('names a gap, an overlap and a reversed range', () => {
    expect(rangeTilingFault([range(null, '10'), range('11', null)])).toBe(
      'partition 1 ends at 10 but partition 2 starts at 11',
    );
    expect(rangeTilingFault([range(null, '10'), range('9', null)])).toBe(
      'partition 1 ends at 10 but partition 2 starts at 9',
    );
    expect(rangeTilingFault([range(null, '10'), range('10', '5'), range('5', null)])).toBe(
      'partition 2 is empty or reversed (10 to 5)',
    );
  });

  it('names open ends that leave keys out', () => {
    expect(rangeTilingFault([range('0', '10'), range('10', null)])).toBe(
      'partition 1 starts at 0, not below every key',
    );
    expect(rangeTilingFault([range(null, '10'), range('10', '20')])).toBe(
      'partition 2 ends at 20, not above every key',
    );
    expect(rangeTilingFault([range('0', '10')])).toBe('its single partition does not cover every key');
    expect(rangeTilingFault([])).toBe('it has no partitions');
  });

  it('refuses ranges that mix columns or a whole-table partition among others', () => {
    expect(rangeTilingFault([range(null, '10'), range('10', null, 'other')])).toBe(
      'partitions 1 and 2 cut different columns',
    );
    expect(rangeTilingFault([range(null, '10'), null])).toBe('a whole-table partition is one of several');
    expect(rangeTilingFault([range(null, null), range(null, null)])).toBe(
      'partition 1 is open in the middle',
    );
  });
});
