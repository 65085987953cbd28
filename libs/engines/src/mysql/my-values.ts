export class UnknownMySqlDecoderError extends Error {
  constructor(decoder: string) {
    super(`no MySQL value decoder named ${JSON.stringify(decoder)}`);
    this.name = 'UnknownMySqlDecoderError';
  }
}

/** A value of another kind than its decoder expects: the reader and the plan disagree. */
export class UnexpectedMySqlValueError extends TypeError {
  constructor(decoder: string, value: unknown) {
    super(`a ${decoder} column returned a ${value instanceof Buffer ? 'Buffer' : typeof value}`);
    this.name = 'UnexpectedMySqlValueError';
  }
}

/** Days from 1970-01-01 to a proleptic Gregorian date (H. Hinnant's days_from_civil), any year. */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146097 + dayOfEra - 719468;
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function isLeapYear(year: number): boolean {
  return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
}

function daysInMonth(year: number, month: number): number {
  return month === 2 && isLeapYear(year) ? 29 : DAYS_IN_MONTH[month - 1];
}

const MICROS_PER_SECOND = 1_000_000n;
const SECONDS_PER_DAY = 86_400;

/** The number written by the ASCII digits bytes[start..end), or -1 when any of them is not a digit. */
function digitsAt(bytes: Uint8Array, start: number, end: number): number {
  let value = 0;
  for (let index = start; index < end; index++) {
    const digit = bytes[index] - 48;
    if (digit < 0 || digit > 9) return -1;
    value = value * 10 + digit;
  }
  return value;
}

const DASH = 45;
const SPACE = 32;
const COLON = 58;
const DOT = 46;

/** `YYYY-MM-DD HH:MM:SS` with its separators where they belong, then an optional fraction. */
function isDatetimeShape(bytes: Uint8Array, at: number, length: number): boolean {
  return (
    length >= 19 &&
    length <= 26 &&
    bytes[at + 4] === DASH &&
    bytes[at + 7] === DASH &&
    bytes[at + 10] === SPACE &&
    bytes[at + 13] === COLON &&
    bytes[at + 16] === COLON &&
    (length === 19 || (length > 20 && bytes[at + 19] === DOT))
  );
}

function notADatetime(bytes: Uint8Array, start: number, end: number): UnexpectedMySqlValueError {
  return new UnexpectedMySqlValueError('datetime', Buffer.from(bytes).toString('latin1', start, end));
}

/**
 * A DATETIME or TIMESTAMP as the server prints it, in bytes[start..end), its wall clock read as UTC
 * (TIMESTAMPs are printed in UTC by the session): the seconds since the epoch go to out[0] and the
 * microseconds within the second to out[1]. False for zero dates and dates no calendar has (a zero
 * month or day, or February 30 under ALLOW_INVALID_DATES), which have no instant. Read digit by
 * digit: this runs for every timestamp of every row.
 */
export function datetimeAt(bytes: Uint8Array, start: number, end: number, out: Float64Array): boolean {
  const length = end - start;
  if (!isDatetimeShape(bytes, start, length)) throw notADatetime(bytes, start, end);
  const year = digitsAt(bytes, start, start + 4);
  const month = digitsAt(bytes, start + 5, start + 7);
  const day = digitsAt(bytes, start + 8, start + 10);
  const hour = digitsAt(bytes, start + 11, start + 13);
  const minute = digitsAt(bytes, start + 14, start + 16);
  const second = digitsAt(bytes, start + 17, start + 19);
  // `.5` is 500000 microseconds.
  const micros = length === 19 ? 0 : digitsAt(bytes, start + 20, end) * 10 ** (26 - length);
  if (Math.min(year, month, day, hour, minute, second, micros) < 0) throw notADatetime(bytes, start, end);
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return false;
  out[0] = daysFromCivil(year, month, day) * SECONDS_PER_DAY + hour * 3600 + minute * 60 + second;
  out[1] = micros;
  return true;
}

/**
 * A DATE as the server prints it, `YYYY-MM-DD` in bytes[start..end), as days since 1970-01-01; null
 * for a zero date, or a zero month or day, which name no day.
 */
export function dateDaysAt(bytes: Uint8Array, start: number, end: number): number | null {
  const year = digitsAt(bytes, start, start + 4);
  const month = digitsAt(bytes, start + 5, start + 7);
  const day = digitsAt(bytes, start + 8, start + 10);
  if (
    end - start !== 10 ||
    bytes[start + 4] !== DASH ||
    bytes[start + 7] !== DASH ||
    Math.min(year, month, day) < 0
  )
    throw new UnexpectedMySqlValueError('date', Buffer.from(bytes).toString('latin1', start, end));
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return null;
  return daysFromCivil(year, month, day);
}

/** Days since 1970-01-01 of a DATE's text (see dateDaysAt), or null when it names no day. */
export function dateDays(text: string): number | null {
  return dateDaysAt(Buffer.from(text, 'latin1'), 0, text.length);
}

const MICROS_PER_DAY = 86_400_000_000n;

/**
 * `[-]H…H:MM:SS[.ffffff]` as microseconds since midnight; a TIME is also a duration (-838:59:59 to
 * 838:59:59), and only those within one day are a time of day that Parquet's TIME can hold.
 */
export function timeMicros(text: string): bigint | null {
  const match = /^(-?)(\d+):(\d\d):(\d\d)(?:\.(\d{1,6}))?$/.exec(text);
  if (!match) throw new UnexpectedMySqlValueError('time', text);
  const [, sign, hours, minutes, seconds, fraction = ''] = match;
  const micros =
    BigInt((Number(hours) * 3600 + Number(minutes) * 60 + Number(seconds)) * 1_000_000) +
    BigInt(fraction.padEnd(6, '0') || '0');
  if (sign === '-' && micros !== 0n) return null;
  return micros < MICROS_PER_DAY ? micros : null;
}

/** MariaDB's UUID text as its 16 bytes, in the order the text writes them. */
export function uuidBytes(text: string): Buffer {
  const hex = text.replace(/-/g, '');
  if (!/^[0-9a-fA-F]{32}$/.test(hex)) throw new UnexpectedMySqlValueError('uuid', text);
  return Buffer.from(hex, 'hex');
}

/** Microseconds since the epoch of a DATETIME's text (see datetimeAt), or null when it has no instant. */
export function datetimeMicros(text: string): bigint | null {
  const bytes = Buffer.from(text, 'latin1');
  const parts = new Float64Array(2);
  if (!datetimeAt(bytes, 0, bytes.length, parts)) return null;
  return BigInt(parts[0]) * MICROS_PER_SECOND + BigInt(parts[1]);
}
