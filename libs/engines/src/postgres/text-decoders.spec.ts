import { rowDecoderFor, textDecoderFor, UnknownDecoderError } from './text-decoders';

describe('text decoders', () => {
  it('reads 64-bit integers exactly', () => {
    expect(textDecoderFor('int8')('9223372036854775807')).toBe(9223372036854775807n);
    expect(textDecoderFor('int8')('-9223372036854775808')).toBe(-9223372036854775808n);
  });

  it('reads 32- and 16-bit integers as numbers', () => {
    expect(textDecoderFor('int4')('-2147483648')).toBe(-2147483648);
    expect(textDecoderFor('int2')('32767')).toBe(32767);
  });

  it('reads the special float spellings of PostgreSQL', () => {
    const float8 = textDecoderFor('float8');
    expect(float8('NaN')).toBeNaN();
    expect(float8('Infinity')).toBe(Infinity);
    expect(float8('-Infinity')).toBe(-Infinity);
    expect(Object.is(float8('-0'), -0)).toBe(true);
    expect(float8('1.0000000000000002')).toBe(1.0000000000000002);
    expect(textDecoderFor('float4')('3.4028235e+38')).toBe(3.4028235e38);
  });

  it('reads booleans and hex bytea', () => {
    expect(textDecoderFor('bool')('t')).toBe(true);
    expect(textDecoderFor('bool')('f')).toBe(false);
    expect(textDecoderFor('bytea')('\\x00ff00')).toEqual(Buffer.from([0, 255, 0]));
    expect(textDecoderFor('bytea')('\\x')).toEqual(Buffer.alloc(0));
    expect(() => textDecoderFor('bytea')('\\000')).toThrow(/hex/);
  });

  it('keeps text as it is', () => {
    expect(textDecoderFor('text')(' {"a": "ü"} ')).toBe(' {"a": "ü"} ');
  });

  it('refuses decoders it does not know, inherited object keys included', () => {
    expect(() => textDecoderFor('tinyint')).toThrow(UnknownDecoderError);
    expect(() => textDecoderFor('constructor')).toThrow(UnknownDecoderError);
  });

  it('decodes a row column by column and keeps NULLs', () => {
    const decode = rowDecoderFor(['int8', 'text', 'bool', 'float4']);
    expect(decode(['1', null, 'f', 'NaN'])).toEqual([1n, null, false, NaN]);
  });
});
