import { decimalStorage } from '@snapex/contracts';
import { twosComplementBytes, unscaledDecimal } from './decimal';

describe('decimals', () => {
  it('turns exact decimal text into its unscaled integer without floating point', () => {
    expect(unscaledDecimal('1.13', { precision: 5, scale: 2 })).toBe(113n);
    expect(unscaledDecimal('-0.01', { precision: 5, scale: 2 })).toBe(-1n);
    expect(unscaledDecimal('12', { precision: 5, scale: 2 })).toBe(1200n);
    expect(unscaledDecimal('.5', { precision: 5, scale: 2 })).toBe(50n);
    expect(unscaledDecimal('1.500', { precision: 5, scale: 2 })).toBe(150n);
    expect(unscaledDecimal('18446744073709551615', { precision: 20, scale: 0 })).toBe(2n ** 64n - 1n);
  });

  it('refuses text that would lose digits or overflow the precision', () => {
    for (const text of ['1.001', '1000.00', '', '-', '.', '1e3', ' 1', 'NaN']) {
      expect(unscaledDecimal(text, { precision: 5, scale: 2 })).toBeNull();
    }
  });

  it('writes big-endian two-complement bytes of a fixed length', () => {
    expect(twosComplementBytes(-1n, 3)).toEqual(Buffer.from([0xff, 0xff, 0xff]));
    expect(twosComplementBytes(256n, 3)).toEqual(Buffer.from([0x00, 0x01, 0x00]));
    expect(twosComplementBytes(-(2n ** 63n), 9)).toEqual(Buffer.from([0xff, 0x80, 0, 0, 0, 0, 0, 0, 0]));
  });

  it('stores a precision on INT32, INT64 or the fewest bytes that hold it', () => {
    expect(decimalStorage(1)).toEqual({ physicalType: 'INT32' });
    expect(decimalStorage(9)).toEqual({ physicalType: 'INT32' });
    expect(decimalStorage(18)).toEqual({ physicalType: 'INT64' });
    expect(decimalStorage(19)).toEqual({ physicalType: 'FIXED_LEN_BYTE_ARRAY', byteLength: 9 });
    expect(decimalStorage(20)).toEqual({ physicalType: 'FIXED_LEN_BYTE_ARRAY', byteLength: 9 });
    expect(decimalStorage(30)).toEqual({ physicalType: 'FIXED_LEN_BYTE_ARRAY', byteLength: 13 });
    expect(decimalStorage(38)).toEqual({ physicalType: 'FIXED_LEN_BYTE_ARRAY', byteLength: 16 });
  });
});
