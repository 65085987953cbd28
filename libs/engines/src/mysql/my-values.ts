import { NulledValueReason } from '@snapex/contracts';
import { ExportRow } from '../engine';
import { MySqlValue } from './my-session';
import { MySqlDecoder } from './my-types';

type ExportValue = ExportRow[number];
type ValueDecoder = (value: Exclude<MySqlValue, null>) => ExportValue;

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

/** The number written by the digits text[start..end), or -1 when any of them is not a digit. */
function digitsAt(text: string, start: number, end: number): number {
  let value = 0;
  for (let index = start; index < end; index++) {
    const digit = text.charCodeAt(index) - 48;
    if (digit < 0 || digit > 9) return -1;
    value = value * 10 + digit;
  }
  return value;
}

/** `YYYY-MM-DD HH:MM:SS` with its separators where they belong, then an optional fraction. */
function isDatetimeShape(text: string): boolean {
  return (
    text.length >= 19 &&
    text.length <= 26 &&
    text[4] === '-' &&
    text[7] === '-' &&
    text[10] === ' ' &&
    text[13] === ':' &&
    text[16] === ':' &&
    (text.length === 19 || (text.length > 20 && text[19] === '.'))
  );
}

/** The fraction after the seconds as microseconds: `.5` is 500000. */
function fractionMicros(text: string): number {
  if (text.length === 19) return 0;
  const digits = digitsAt(text, 20, text.length);
  return digits < 0 ? -1 : digits * 10 ** (26 - text.length);
}

/**
 * Microseconds since the epoch of a DATETIME or TIMESTAMP as the server prints it, its wall clock
 * read as UTC (TIMESTAMPs are printed in UTC by the session). Zero dates and dates no calendar has
 * (a zero month or day, or February 30 under ALLOW_INVALID_DATES) become null. Read digit by
 * digit: this runs for every timestamp of every row.
 */
export function datetimeMicros(text: string): bigint | null {
  if (!isDatetimeShape(text)) throw new UnexpectedMySqlValueError('datetime', text);
  const year = digitsAt(text, 0, 4);
  const month = digitsAt(text, 5, 7);
  const day = digitsAt(text, 8, 10);
  const hour = digitsAt(text, 11, 13);
  const minute = digitsAt(text, 14, 16);
  const second = digitsAt(text, 17, 19);
  const micros = fractionMicros(text);
  if (Math.min(year, month, day, hour, minute, second, micros) < 0)
    throw new UnexpectedMySqlValueError('datetime', text);
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return null;
  const seconds = daysFromCivil(year, month, day) * SECONDS_PER_DAY + hour * 3600 + minute * 60 + second;
  return BigInt(seconds) * MICROS_PER_SECOND + BigInt(micros);
}

/** `YYYY-MM-DD` as days since 1970-01-01; a zero date, or a zero month or day, names no day. */
export function dateDays(text: string): number | null {
  const year = digitsAt(text, 0, 4);
  const month = digitsAt(text, 5, 7);
  const day = digitsAt(text, 8, 10);
  if (text.length !== 10 || text[4] !== '-' || text[7] !== '-' || Math.min(year, month, day) < 0)
    throw new UnexpectedMySqlValueError('date', text);
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return null;
  return daysFromCivil(year, month, day);
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

function expectString(decoder: string, value: Exclude<MySqlValue, null>): string {
  if (typeof value !== 'string') throw new UnexpectedMySqlValueError(decoder, value);
  return value;
}

function expectNumber(decoder: string, value: Exclude<MySqlValue, null>): number {
  if (typeof value !== 'number') throw new UnexpectedMySqlValueError(decoder, value);
  return value;
}

const DECODERS: Record<MySqlDecoder, ValueDecoder> = {
  int: (value) => expectNumber('int', value),
  'int-to-bigint': (value) => BigInt(expectNumber('int-to-bigint', value)),
  bigint: (value) => BigInt(expectString('bigint', value)),
  decimal: (value) => expectString('decimal', value),
  float: (value) => Number(value instanceof Buffer ? value.toString('latin1') : expectString('float', value)),
  double: (value) => expectNumber('double', value),
  bytes: (value) => (value instanceof Buffer ? value : Buffer.from(expectString('bytes', value), 'utf8')),
  geometry: (value) =>
    value instanceof Buffer ? value : Buffer.from(expectString('geometry', value), 'binary'),
  'text-to-bytes': (value) => Buffer.from(expectString('text-to-bytes', value), 'utf8'),
  text: (value) => (value instanceof Buffer ? value.toString('utf8') : String(value)),
  datetime: (value) => datetimeMicros(expectString('datetime', value)),
  date: (value) => dateDays(expectString('date', value)),
  time: (value) => timeMicros(expectString('time', value)),
  uuid: (value) =>
    uuidBytes(value instanceof Buffer ? value.toString('latin1') : expectString('uuid', value)),
};

function isMySqlDecoder(decoder: string): decoder is MySqlDecoder {
  return Object.prototype.hasOwnProperty.call(DECODERS, decoder);
}

export function mySqlDecoderFor(decoder: string): ValueDecoder {
  if (!isMySqlDecoder(decoder)) throw new UnknownMySqlDecoderError(decoder);
  return DECODERS[decoder];
}

/** Why a decoder returns NULL for a value; only these decoders ever do. */
const NULLING_DECODERS: Partial<Record<MySqlDecoder, NulledValueReason>> = {
  datetime: 'NO_INSTANT',
  date: 'NO_INSTANT',
  time: 'NOT_REPRESENTABLE',
};

/** What a decoder that turned the value of column `index` into NULL is told. */
export type OnNulled = (index: number, reason: NulledValueReason) => void;

/**
 * Turns one row as the session returns it into an ExportRow, column by column; NULL stays null, and
 * a value the decoder cannot keep (a DATETIME with no instant) becomes null and is told to onNulled.
 */
export function mySqlRowDecoderFor(
  decoders: readonly string[],
  onNulled: OnNulled = () => undefined,
): (row: readonly MySqlValue[]) => ExportRow {
  const columnDecoders = decoders.map(mySqlDecoderFor);
  const reasons = decoders.map((decoder) => NULLING_DECODERS[decoder as MySqlDecoder]);
  return (row) => {
    const decoded: ExportRow = new Array(columnDecoders.length);
    for (let index = 0; index < columnDecoders.length; index++) {
      const value = row[index];
      if (value === null) {
        decoded[index] = null;
        continue;
      }
      const result = columnDecoders[index](value);
      if (result === null) onNulled(index, reasons[index]!);
      decoded[index] = result;
    }
    return decoded;
  };
}
