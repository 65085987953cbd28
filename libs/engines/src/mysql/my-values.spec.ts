import { datetimeMicros, mySqlRowDecoderFor, UnexpectedMySqlValueError } from './my-values';

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

  it('tells which column a DATETIME with no instant was made NULL in, and not a NULL the source holds', () => {
    const nulled: [number, string][] = [];
    const decode = mySqlRowDecoderFor(['datetime', 'text', 'datetime'], (index, reason) =>
      nulled.push([index, reason]),
    );
    expect(decode(['0000-00-00 00:00:00', '0000-00-00', null])).toEqual([null, '0000-00-00', null]);
    expect(decode(['2024-01-01 00:00:00', null, '2023-02-30 10:00:00'])).toEqual([
      1704067200000000n,
      null,
      null,
    ]);
    expect(nulled).toEqual([
      [0, 'NO_INSTANT'],
      [2, 'NO_INSTANT'],
    ]);
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

  it('reads a FLOAT from the text of the DOUBLE holding it, keeping every bit and the sign of zero', () => {
    const decode = mySqlRowDecoderFor(['float', 'float', 'float', 'float', 'float']);
    expect(
      decode(['123456792', '3.4028234663852886e38', '1.401298464324817e-45', '-0', Buffer.from('0.5')]),
    ).toEqual([123456792, 3.4028234663852886e38, 1.401298464324817e-45, -0, 0.5]);
    expect(Object.is(decode(['-0', '0', '0', '0', '0'])[0], -0)).toBe(true);
    expect(() => decode([1, '0', '0', '0', '0'])).toThrow(UnexpectedMySqlValueError);
  });

  it('decodes each column as its plan says, keeping NULLs', () => {
    const decode = mySqlRowDecoderFor([
      'int',
      'int-to-bigint',
      'bigint',
      'decimal',
      'text-to-bytes',
      'datetime',
      'text',
    ]);
    expect(
      decode([1, 4294967295, '-9223372036854775808', '-1.50', 'ü', '2000-01-01 00:00:00', null]),
    ).toEqual([
      1,
      4294967295n,
      -9223372036854775808n,
      '-1.50',
      Buffer.from('ü', 'utf8'),
      946684800000000n,
      null,
    ]);
  });
});
