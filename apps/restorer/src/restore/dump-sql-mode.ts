import { Transform } from 'node:stream';

/** The statement with which mariadb-dump's header sets the sql_mode the rest of the dump loads under. */
const HEADER_SQL_MODE = Buffer.from("SQL_MODE='NO_AUTO_VALUE_ON_ZERO'");
const KEEPING_INVALID_DATES = Buffer.from("SQL_MODE='NO_AUTO_VALUE_ON_ZERO,ALLOW_INVALID_DATES'");

/** The header is a few hundred bytes; a dump whose first bytes lack the statement has no such header. */
const HEADER_SEARCH_BYTES = 64 * 1024;

/**
 * A mariadb-dump script as it is, except that it loads with ALLOW_INVALID_DATES. Its header sets
 * sql_mode to NO_AUTO_VALUE_ON_ZERO alone, under which a date stored under ALLOW_INVALID_DATES
 * (`2023-02-30`) is loaded as `0000-00-00`; zero dates already load, as neither NO_ZERO_DATE nor strict
 * mode is set. Only the header is searched, the rest streams through untouched.
 */
export function loadingInvalidDates(): Transform {
  let head: Buffer | null = Buffer.alloc(0);
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      if (head === null) return done(null, chunk);
      head = Buffer.concat([head, chunk]);
      const at = head.indexOf(HEADER_SQL_MODE);
      if (at < 0 && head.length < HEADER_SEARCH_BYTES + HEADER_SQL_MODE.length) return done();
      const out =
        at < 0
          ? head
          : Buffer.concat([
              head.subarray(0, at),
              KEEPING_INVALID_DATES,
              head.subarray(at + HEADER_SQL_MODE.length),
            ]);
      head = null;
      done(null, out);
    },
    flush(done) {
      done(null, head ?? undefined);
    },
  });
}
