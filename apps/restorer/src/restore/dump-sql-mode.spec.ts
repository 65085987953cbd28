import { Readable } from 'node:stream';
import { text } from 'node:stream/consumers';
import { loadingInvalidDates } from './dump-sql-mode';

const HEADER =
  "/*!40101 SET NAMES utf8mb4 */;\n/*!40101 SET @OLD_SQL_MODE=@@SQL_MODE, SQL_MODE='NO_AUTO_VALUE_ON_ZERO' */;\n";

function through(chunks: string[]): Promise<string> {
  return text(Readable.from(chunks.map((chunk) => Buffer.from(chunk))).pipe(loadingInvalidDates()));
}

describe('a mariadb-dump script loaded keeping dates stored under ALLOW_INVALID_DATES', () => {
  it('adds ALLOW_INVALID_DATES to the header sql_mode, however the header is cut into chunks', async () => {
    const dump = `${HEADER}INSERT INTO t VALUES ('2023-02-30');\n`;
    const expected = dump.replace(
      "SQL_MODE='NO_AUTO_VALUE_ON_ZERO'",
      "SQL_MODE='NO_AUTO_VALUE_ON_ZERO,ALLOW_INVALID_DATES'",
    );
    expect(await through([dump])).toBe(expected);
    for (let cut = 1; cut < dump.length; cut += 7)
      expect(await through([dump.slice(0, cut), dump.slice(cut)])).toBe(expected);
  });

  it('changes nothing past the header, nor a script without that header', async () => {
    const later = "INSERT INTO t VALUES ('SQL_MODE=''NO_AUTO_VALUE_ON_ZERO''');\n";
    const body = 'x'.repeat(70 * 1024);
    expect(await through([body, later])).toBe(body + later);
    expect(await through([HEADER, later, HEADER])).toContain(`${later}${HEADER}`);
    expect(await through(['short'])).toBe('short');
    expect(await through([])).toBe('');
  });
});
