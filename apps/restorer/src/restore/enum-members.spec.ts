import { Readable } from 'node:stream';
import { text } from 'node:stream/consumers';
import { memberCount, MemberRepair, repairingMembers } from './enum-members';

const REPAIRS: MemberRepair[] = [
  { table: 'or`ders', column: 'mood', broken: "enum('a?','b')", repaired: "enum('a😀','b')" },
  { table: 'tags', column: 'flags', broken: "set('x?','y')", repaired: "set('x😀','y')" },
];

const DUMP = [
  '/*!40101 SET NAMES utf8mb4 */;',
  'CREATE TABLE `or``ders` (',
  "  `mood` enum('a?','b') DEFAULT NULL,",
  "  `other` enum('a?','b') DEFAULT NULL",
  ') ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;',
  "INSERT INTO `or``ders` VALUES ('a😀','b'),(NULL,'a?');",
  "  `mood` enum('a?','b') is data, not a definition",
  'CREATE TABLE `tags` (',
  "  `mood` enum('a?','b') DEFAULT NULL,",
  "  `flags` set('x?','y') NOT NULL",
  ') ENGINE=InnoDB;',
  '',
].join('\n');

const REPAIRED = DUMP.replace(
  "  `mood` enum('a?','b') DEFAULT NULL,\n  `other`",
  "  `mood` enum('a😀','b') DEFAULT NULL,\n  `other`",
).replace("`flags` set('x?','y')", "`flags` set('x😀','y')");

function through(repairs: MemberRepair[], chunks: Buffer[]): Promise<string> {
  return text(Readable.from(chunks).pipe(repairingMembers(repairs)));
}

describe('ENUM and SET members of 4-byte characters in a mariadb-dump script', () => {
  it('counts the members of a printed definition, quotes inside doubled', () => {
    expect(memberCount("enum('a?','b')")).toBe(2);
    expect(memberCount("set('it''s','x,y','\\\\')")).toBe(3);
    expect(memberCount("enum('')")).toBe(1);
  });

  it("puts right the named columns' definitions in their own table only, however the bytes are cut", async () => {
    expect(REPAIRED).not.toBe(DUMP);
    const bytes = Buffer.from(DUMP);
    expect(await through(REPAIRS, [bytes])).toBe(REPAIRED);
    for (let cut = 1; cut < bytes.length; cut += 5)
      expect(await through(REPAIRS, [bytes.subarray(0, cut), bytes.subarray(cut)])).toBe(REPAIRED);
  });

  it('passes a script through untouched when there is nothing to repair, or no newline at its end', async () => {
    expect(await through([], [Buffer.from(DUMP)])).toBe(DUMP);
    const unterminated = "CREATE TABLE `tags` (\n  `flags` set('x?','y')";
    expect(await through(REPAIRS, [Buffer.from(unterminated)])).toBe(
      "CREATE TABLE `tags` (\n  `flags` set('x😀','y')",
    );
  });
});
