/** Characters every object store takes in a key as they are, with no encoding or signing quirk. */
const PLAIN_NAME = /^[A-Za-z0-9_-]+$/;

/**
 * The object key of one database's dump. A name of plain characters stays readable; any other is
 * written as the hex of its UTF-8 bytes with `.hex` after it, so quotes, `%`, `$`, slashes and
 * letters beyond ASCII never reach a key (stores and their signing differ on those), and no two
 * names share a key: a plain name has no dot. The snapshot record keeps the database's own name.
 */
export function dumpKey(keyPrefix: string, database: string, extension: string): string {
  const name = PLAIN_NAME.test(database) ? database : `${Buffer.from(database, 'utf8').toString('hex')}.hex`;
  return `${keyPrefix}${name}.${extension}`;
}
