import { ColumnPlan } from '@snapex/contracts';
import { schemaOnlyPart } from '@snapex/parquet';
import { CalendarDate, decimalText, Micros, readPart, TimeOfDay } from './parquet-rows';
import { dateText, fallbackType, timeText, utcText } from './restore-target';

describe('reading an exported part back', () => {
  it('writes a decimal as its exact digits, sign and leading zeros included', () => {
    expect(decimalText(-150n, 2)).toBe('-1.50');
    expect(decimalText(5n, 3)).toBe('0.005');
    expect(decimalText(12345678901234567890n, 0)).toBe('12345678901234567890');
  });

  it('writes a timestamp as UTC text to the microsecond, before 1970 too', () => {
    expect(utcText(new Micros(0n))).toBe('1970-01-01 00:00:00.000000');
    expect(utcText(new Micros(-1n))).toBe('1969-12-31 23:59:59.999999');
    expect(utcText(new Micros(253402300799999999n))).toBe('9999-12-31 23:59:59.999999');
    expect(utcText(new Micros(-30610224000000000n))).toBe('1000-01-01 00:00:00.000000');
  });

  it('writes a DATE as its calendar day and a TIME to the microsecond, a whole day as 24:00', () => {
    expect(dateText(new CalendarDate(0))).toBe('1970-01-01');
    expect(dateText(new CalendarDate(-1))).toBe('1969-12-31');
    expect(dateText(new CalendarDate(-719834))).toBe('-0001-03-01');
    expect(dateText(new CalendarDate(-719528))).toBe('0000-01-01');
    expect(timeText(new TimeOfDay(0n))).toBe('00:00:00.000000');
    expect(timeText(new TimeOfDay(45_296_000_007n))).toBe('12:34:56.000007');
    expect(timeText(new TimeOfDay(86_400_000_000n))).toBe('24:00:00.000000');
  });

  it('reads the columns of a part without rows', () => {
    const columns: Pick<ColumnPlan, 'name' | 'parquetType' | 'decimal'>[] = [
      { name: 'id', parquetType: 'INT64' },
      { name: 'amount', parquetType: 'DECIMAL', decimal: { precision: 12, scale: 2 } },
    ];
    expect(readPart(schemaOnlyPart(columns))).toEqual({ names: ['id', 'amount'], rows: 0, values: [[], []] });
  });

  it('gives a column a type that holds the Parquet values when the target lacks the original', () => {
    expect(fallbackType({ kind: 'decimal', precision: 20, scale: 0 }, 'postgres')).toBe('numeric(20,0)');
    expect(fallbackType({ kind: 'timestamp' }, 'mysql')).toBe('DATETIME(6)');
    expect(fallbackType({ kind: 'string' }, 'postgres')).toBe('text');
    expect(fallbackType({ kind: 'list', element: { kind: 'date' } }, 'postgres')).toBe('date[]');
    expect(fallbackType({ kind: 'list', element: { kind: 'int64' } }, 'mysql')).toBe('JSON');
    expect(fallbackType({ kind: 'localTimestamp' }, 'postgres')).toBe('timestamp');
  });
});
