import { ColumnPlan, NulledValueReason, ParquetColumnType } from '@snapex/contracts';
import { rowsOfBatch } from '@snapex/parquet';
import { NO_READ_LIMITS, RowTooLargeError, ValueTooLargeError } from '../engine';
import { MySqlBatchBuilder } from './my-columns';
import { UnexpectedMySqlValueError } from './my-values';

function column(
  decoder: string,
  parquetType: ParquetColumnType,
  decimal?: { precision: number; scale: number },
): ColumnPlan {
  return {
    name: `c_${decoder}`,
    originalType: decoder,
    decoder,
    parquetType,
    ...(decimal ? { decimal } : {}),
    expectedExportedType: '',
    originalCharMaxLength: 0,
    originalNumPrecision: 0,
    originalDateTimePrecision: 0,
  };
}

/** The server's text of each value, as mysql2 hands it over with typeCast off. */
function texts(values: (string | null)[]): (Buffer | null)[] {
  return values.map((value) => (value === null ? null : Buffer.from(value, 'utf8')));
}

function read(
  columns: ColumnPlan[],
  rows: (string | null)[][],
  onNulled?: (index: number, reason: NulledValueReason) => void,
) {
  const builder = new MySqlBatchBuilder(columns, NO_READ_LIMITS, 100, 1 << 20, onNulled);
  for (const row of rows) builder.add(texts(row));
  return rowsOfBatch(builder.take(), columns);
}

describe('MySQL columnar batches', () => {
  it('reads each column from the text the server sent, keeping NULLs', () => {
    const columns = [
      column('int', 'INT32'),
      column('int', 'INT16'),
      column('int-to-bigint', 'INT64'),
      column('bigint', 'INT64'),
      column('decimal', 'DECIMAL', { precision: 12, scale: 2 }),
      column('decimal', 'DECIMAL', { precision: 30, scale: 10 }),
      column('decimal', 'DECIMAL', { precision: 20, scale: 0 }),
      column('decimal', 'STRING'),
      column('text-to-bytes', 'BINARY'),
      column('datetime', 'TIMESTAMP_MICROS'),
      column('text', 'STRING'),
    ];
    expect(
      read(columns, [
        [
          '-2147483648',
          '255',
          '4294967295',
          '-9223372036854775808',
          '-1.50',
          '12345678901234567890.0123456789',
          '18446744073709551615',
          '1.000000000000000000000000000000000000001',
          'ü',
          '2000-01-01 00:00:00',
          'héllo',
        ],
        [
          '7',
          '0',
          '0',
          '9223372036854775807',
          '0.05',
          '-0.0000000001',
          '0',
          '-1',
          '',
          '9999-12-31 23:59:59.999999',
          '',
        ],
        [null, null, null, null, null, null, null, null, null, null, null],
      ]),
    ).toEqual([
      [
        -2147483648,
        255,
        4294967295n,
        -9223372036854775808n,
        '-1.50',
        '12345678901234567890.0123456789',
        '18446744073709551615',
        '1.000000000000000000000000000000000000001',
        Buffer.from('ü', 'utf8'),
        946684800000000n,
        'héllo',
      ],
      [
        7,
        0,
        0n,
        9223372036854775807n,
        '0.05',
        '-0.0000000001',
        '0',
        '-1',
        Buffer.alloc(0),
        253402300799999999n,
        '',
      ],
      [null, null, null, null, null, null, null, null, null, null, null],
    ]);
  });

  it('tells which column a DATETIME with no instant was made NULL in, and not a NULL the source holds', () => {
    const nulled: number[] = [];
    const columns = [
      column('datetime', 'TIMESTAMP_MICROS'),
      column('text', 'STRING'),
      column('datetime', 'TIMESTAMP_MICROS'),
    ];
    expect(
      read(
        columns,
        [
          ['0000-00-00 00:00:00', '0000-00-00', null],
          ['2024-01-01 00:00:00', null, '2023-02-30 10:00:00'],
        ],
        (index) => nulled.push(index),
      ),
    ).toEqual([
      [null, '0000-00-00', null],
      [1704067200000000n, null, null],
    ]);
    expect(nulled).toEqual([0, 2]);
  });

  it('reads the native types mode: DATE as days, TIME as microseconds, DATETIME as a wall clock, UUID and JSON', () => {
    const columns = [
      column('date', 'DATE'),
      column('time', 'TIME_MICROS'),
      column('datetime', 'TIMESTAMP_MICROS_LOCAL'),
      column('uuid', 'UUID'),
      column('text', 'JSON'),
    ];
    expect(
      read(columns, [
        [
          '1970-01-02',
          '12:34:56.789',
          '2024-01-01 00:00:00.5',
          '0f8fad5b-d9cb-469f-a165-70867728950e',
          '{"a": 1}',
        ],
        [null, null, null, null, null],
      ]),
    ).toEqual([
      [
        1,
        45_296_789_000n,
        1704067200500000n,
        Buffer.from('0f8fad5bd9cb469fa16570867728950e', 'hex'),
        '{"a": 1}',
      ],
      [null, null, null, null, null],
    ]);
  });

  it('counts the DATEs with no day and the TIMEs that are no time of day it made NULL, with their reasons', () => {
    const nulled: [number, NulledValueReason][] = [];
    const columns = [column('time', 'TIME_MICROS'), column('date', 'DATE'), column('time', 'TIME_MICROS')];
    expect(
      read(
        columns,
        [
          ['100:00:00', '0000-00-00', '-00:00:01'],
          ['23:59:59.999999', '2023-02-30', '00:00:00'],
        ],
        (index, reason) => nulled.push([index, reason]),
      ),
    ).toEqual([
      [null, null, null],
      [86_399_999_999n, null, 0n],
    ]);
    expect(nulled).toEqual([
      [0, 'NOT_REPRESENTABLE'],
      [1, 'NO_INSTANT'],
      [2, 'NOT_REPRESENTABLE'],
      [1, 'NO_INSTANT'],
    ]);
  });

  it('reads a FLOAT from the text of the DOUBLE holding it, keeping every bit and the sign of zero', () => {
    const columns = [column('float', 'DOUBLE'), column('double', 'DOUBLE')];
    const [[first, second], [negativeZero]] = read(columns, [
      ['123456792', '3.4028234663852886e38'],
      ['-0', '1.401298464324817e-45'],
    ]);
    expect([first, second]).toEqual([123456792, 3.4028234663852886e38]);
    expect(Object.is(negativeZero, -0)).toBe(true);
  });

  it('refuses text its column cannot hold instead of guessing', () => {
    for (const [plan, text] of [
      [column('int', 'INT32'), '1.5'],
      [column('bigint', 'INT64'), 'x'],
      [column('double', 'DOUBLE'), 'abc'],
      [column('decimal', 'DECIMAL', { precision: 4, scale: 2 }), '123.45'],
      [column('datetime', 'TIMESTAMP_MICROS'), '2024-02-29'],
    ] as const)
      expect(() => read([plan], [[text]])).toThrow(UnexpectedMySqlValueError);
  });

  it('applies the size rules to every row as it is added', () => {
    const columns = [column('text', 'STRING'), column('int', 'INT32')];
    const rows = texts(['0123456789', '1']);
    const values = new MySqlBatchBuilder(columns, { maxRowBytes: Infinity, maxValueBytes: 10 }, 10, 1 << 20);
    expect(() => values.add(rows)).toThrow(ValueTooLargeError);
    const row = new MySqlBatchBuilder(columns, { maxRowBytes: 18, maxValueBytes: Infinity }, 10, 1 << 20);
    expect(() => row.add(rows)).toThrow(RowTooLargeError);
  });

  it('counts every number as 8 bytes and a UUID as its 16, as the size rules measure a row', () => {
    const columns = [column('date', 'DATE'), column('time', 'TIME_MICROS'), column('uuid', 'UUID')];
    const rows = texts(['2024-01-01', '00:00:01', '0f8fad5b-d9cb-469f-a165-70867728950e']);
    const limits = { maxRowBytes: 32, maxValueBytes: Infinity };
    expect(() => new MySqlBatchBuilder(columns, limits, 10, 1 << 20).add(rows)).toThrow(RowTooLargeError);
    const wider = { maxRowBytes: 33, maxValueBytes: Infinity };
    expect(new MySqlBatchBuilder(columns, wider, 10, 1 << 20).add(rows)).toBe(false);
  });

  it('is full at its row count or once its values reach its byte size', () => {
    const columns = [column('text', 'STRING')];
    const byRows = new MySqlBatchBuilder(columns, NO_READ_LIMITS, 2, 1 << 20);
    expect([byRows.add(texts(['a'])), byRows.add(texts(['b']))]).toEqual([false, true]);
    const byBytes = new MySqlBatchBuilder(columns, NO_READ_LIMITS, 100, 6);
    expect([byBytes.add(texts(['abc'])), byBytes.add(texts(['def']))]).toEqual([false, true]);
    expect(byBytes.take().length).toBe(2);
    expect(byBytes.length).toBe(0);
  });
});
