import { dateDays, datetimeMicros, timeMicros, UnexpectedMySqlValueError, uuidBytes } from './my-values';

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

describe('MySQL values in native types mode', () => {
  it('reads DATE text as days since the epoch, a zero date as NULL', () => {
    expect(dateDays('1970-01-02')).toBe(1);
    expect(dateDays('1000-01-01')).toBe(-354_285);
    expect(dateDays('9999-12-31')).toBe(2_932_896);
    expect(dateDays('0000-00-00')).toBeNull();
    expect(dateDays('2023-02-30')).toBeNull();
    expect(() => dateDays('2023-1-1')).toThrow(UnexpectedMySqlValueError);
  });

  it('reads TIME text within one day as microseconds since midnight, and durations beyond it as NULL', () => {
    expect(timeMicros('00:00:00')).toBe(0n);
    expect(timeMicros('12:34:56.789')).toBe(45_296_789_000n);
    expect(timeMicros('23:59:59.999999')).toBe(86_399_999_999n);
    expect(timeMicros('24:00:00')).toBeNull();
    expect(timeMicros('838:59:59')).toBeNull();
    expect(timeMicros('-00:00:01')).toBeNull();
    expect(() => timeMicros('noon')).toThrow(UnexpectedMySqlValueError);
  });

  it('reads a UUID as its 16 bytes in text order', () => {
    expect(uuidBytes('0f8fad5b-d9cb-469f-a165-70867728950e').toString('hex')).toBe(
      '0f8fad5bd9cb469fa16570867728950e',
    );
    expect(() => uuidBytes('not-a-uuid')).toThrow(UnexpectedMySqlValueError);
  });
});
