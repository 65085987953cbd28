import { randomBytes } from 'node:crypto';
import { gunzipSync } from 'node:zlib';
import { gzipPages, gzipWindowBits } from './page-codecs';

/** A PLAIN BYTE_ARRAY page body: each value's length, then its bytes. */
function plainPage(values: readonly Buffer[]): Buffer {
  return Buffer.concat(
    values.flatMap((value) => {
      const length = Buffer.alloc(4);
      length.writeUInt32LE(value.length);
      return [length, value];
    }),
  );
}

describe('gzip pages', () => {
  it('uses a 4 KiB window for short values and widens it to hold the last 8 long ones', () => {
    expect(gzipWindowBits(undefined)).toBe(12);
    expect(gzipWindowBits(8)).toBe(12);
    expect(gzipWindowBits(512)).toBe(12);
    expect(gzipWindowBits(513)).toBe(13);
    expect(gzipWindowBits(2048)).toBe(14);
    expect(gzipWindowBits(4096)).toBe(15);
    expect(gzipWindowBits(1_000_000)).toBe(15);
  });

  it('writes gzip that inflates to the page, whatever the window', () => {
    const page = plainPage(Array.from({ length: 200 }, (_, index) => Buffer.from(`order note ${index}`)));
    for (const valueBytes of [undefined, 20, 5000]) {
      expect(gunzipSync(gzipPages(1).compress(page, valueBytes)).equals(page)).toBe(true);
    }
  });

  it('still finds a long value repeated a few rows later', () => {
    const documents = Array.from({ length: 3 }, () => randomBytes(6000).toString('base64'));
    const values = Array.from({ length: 60 }, (_, index) => Buffer.from(documents[index % 3]));
    const page = plainPage(values);
    const compressed = gzipPages(1).compress(page, page.length / values.length);
    // Three distinct documents of 8 KB each; every later copy is a back-reference.
    expect(compressed.length).toBeLessThan(3 * 8000 + 4000);
  });
});
