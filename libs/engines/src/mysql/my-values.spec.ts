import { datetimeMicros, UnexpectedMySqlValueError } from './my-values';

describe('MySQL values', () => {
  it('reads DATETIME text as microseconds since the epoch, its wall clock as UTC', () => {
    expect(datetimeMicros('1970-01-01 00:00:00')).toBe(0n);
    expect(datetimeMicros('1969-12-31 23:59:59.999999')).toBe(-1n);
    expect(datetimeMicros('2024-02-29 13:14:15.5')).toBe(
      BigInt(Date.UTC(2024, 1, 29, 13, 14, 15)) * 1000n + 500_000n,
    );
    expect(datetimeMicros('9999-12-31 23:59:59.999999')).toBe(253402300799999999n);
    expect(datetimeMicros('1000-01-01 00:00:00.000000')).toBe(-30610224000000000n);
    expect(datetimeMicros('0001-01-01 00:00:00')).toBe(-62135596800000000n);
  });

  it('makes zero dates and dates no calendar has NULL', () => {
    expect(datetimeMicros('0000-00-00 00:00:00')).toBeNull();
    expect(datetimeMicros('0000-00-00 00:00:00.000000')).toBeNull();
    expect(datetimeMicros('2024-00-10 10:00:00')).toBeNull();
    expect(datetimeMicros('2024-02-00 10:00:00')).toBeNull();
    expect(datetimeMicros('2023-02-29 10:00:00')).toBeNull();
    expect(datetimeMicros('0000-01-01 00:00:00')).toBe(-62167219200000000n);
  });

  it('refuses text that is not a DATETIME instead of guessing', () => {
    for (const text of [
      '2024-02-29',
      '2024-02-29T13:14:15',
      '2024-02-29 13:14:1x',
      '2024-02-29 13:14:15.',
      'x',
    ])
      expect(() => datetimeMicros(text)).toThrow(UnexpectedMySqlValueError);
  });
});
