import { valueFormOf, valueLiteral } from './mysql-rows';

describe('values written into a MySQL script', () => {
  it('writes numbers as the server printed them, a FLOAT as its exact DOUBLE digits', () => {
    expect(valueLiteral('number', Buffer.from('-12.50'))).toBe('-12.50');
    expect(valueLiteral('float', Buffer.from('123456792'))).toBe('123456792');
    expect(valueLiteral('float', Buffer.from('3.4028234663852886e38'))).toBe('3.4028234663852886e38');
  });

  it('writes a FLOAT negative zero as a value that underflows to it', () => {
    expect(valueLiteral('float', Buffer.from('-0'))).toBe('-1e-50');
  });

  it('writes bytes as hex, the empty value too', () => {
    expect(valueLiteral('bytes', Buffer.from([0, 0x27, 0xff]))).toBe("X'0027ff'");
    expect(valueLiteral('bytes', Buffer.alloc(0))).toBe("X''");
  });

  it('quotes text byte for byte, escaping what a string literal cannot hold', () => {
    const text = Buffer.from('a\'b"c\\d\0e\nf\rg\x1ah 😀', 'utf8');
    const literal = valueLiteral('text', text);
    expect(Buffer.from(literal, 'latin1').toString('utf8')).toBe("'a\\'b\\\"c\\\\d\\0e\\nf\\rg\\Zh 😀'");
  });

  it('writes NULL as NULL whatever the type', () => {
    for (const form of ['number', 'float', 'bytes', 'text'] as const)
      expect(valueLiteral(form, null)).toBe('NULL');
  });

  it('knows the form of each type', () => {
    expect(valueFormOf('FLOAT')).toBe('float');
    expect(valueFormOf('bigint')).toBe('number');
    expect(valueFormOf('bit')).toBe('bytes');
    expect(valueFormOf('point')).toBe('bytes');
    expect(valueFormOf('enum')).toBe('text');
    expect(valueFormOf('date')).toBe('text');
  });
});
