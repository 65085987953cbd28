import { dumpKey } from './dump-key';

describe('dump keys', () => {
  it('keeps a plain database name readable', () => {
    expect(dumpKey('snapshots/1/db-snapshot/s/', 'shop_2024-x', 'dump')).toBe(
      'snapshots/1/db-snapshot/s/shop_2024-x.dump',
    );
  });

  it('writes any other name as the hex of its bytes, with only plain characters in the key', () => {
    const names = [
      "o'dd",
      'a b',
      'a%20b',
      'a$b',
      'dot.ted',
      'back\\slash',
      'tick`',
      'q"uote',
      'ünï🦄',
      'a/b',
    ];
    for (const name of names) {
      const key = dumpKey('p/', name, 'sql.gz');
      expect(key).toMatch(/^p\/[0-9a-f]+\.hex\.sql\.gz$/);
      const hex = key.slice('p/'.length, -'.hex.sql.gz'.length);
      expect(Buffer.from(hex, 'hex').toString('utf8')).toBe(name);
    }
  });

  it('gives different names different keys, a plain name spelt like another’s hex included', () => {
    const hexOfDotted = Buffer.from('a.b').toString('hex');
    const keys = ['a.b', hexOfDotted, `${hexOfDotted}.hex`, 'A.b'].map((name) => dumpKey('', name, 'dump'));
    expect(new Set(keys).size).toBe(keys.length);
  });
});
