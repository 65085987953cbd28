import { Writable } from 'node:stream';
import { ParquetWriter } from '@dsnp/parquetjs';
import { ParquetColumnType } from '@snapex/contracts';
import { parquetSchemaFor } from './parquet-schema';
import {
  OpenPartEncoder,
  PartColumn,
  PartEncoder,
  PartEncoderOptions,
  PartRow,
  PartStats,
  PartValue,
} from './part-encoder';

type ParquetOutput = Parameters<typeof ParquetWriter.openStream>[1];
type FieldValue = Exclude<PartValue, string>;

/** Forwards parquetjs' writes to the real output, counting the bytes of the file. */
class ByteCountingOutput {
  bytes = 0;

  constructor(private readonly target: Writable) {}

  write(chunk: Buffer, callback: (error?: Error | null) => void): boolean {
    this.bytes += chunk.length;
    return this.target.write(chunk, callback);
  }

  end(callback: (error?: Error | null) => void): this {
    this.target.end(callback);
    return this;
  }
}

/**
 * Strings go in as UTF-8 bytes: parquetjs orders statistics of JS strings by UTF-16 code units, so
 * a page holding both U+FF41 and U+1F600 would get min/max that byte-ordering readers prune wrongly.
 */
function toFieldValue(type: ParquetColumnType): (value: PartValue) => FieldValue {
  if (type === 'STRING') return (value) => (typeof value === 'string' ? Buffer.from(value, 'utf8') : value);
  return (value) => value as FieldValue;
}

/** PartEncoder on @dsnp/parquetjs: gzip, data pages v1, no page index, one row group per rowGroupRows rows. */
export class ParquetPartWriter implements PartEncoder {
  private rows = 0;
  private readonly converters: ((value: PartValue) => FieldValue)[];

  private constructor(
    private readonly writer: ParquetWriter,
    private readonly columnNames: readonly string[],
    columnTypes: readonly ParquetColumnType[],
    private readonly output: ByteCountingOutput,
  ) {
    this.converters = columnTypes.map(toFieldValue);
  }

  static async open(
    columns: readonly PartColumn[],
    output: Writable,
    options: PartEncoderOptions,
  ): Promise<ParquetPartWriter> {
    const counting = new ByteCountingOutput(output);
    const writer = await ParquetWriter.openStream(
      parquetSchemaFor(columns),
      counting as unknown as ParquetOutput,
      {
        rowGroupSize: options.rowGroupRows,
        // v1 pages are what every reader understands; parquetjs' page index marks pages as all-null wrongly.
        useDataPageV2: false,
        pageIndex: false,
      },
    );
    // parquetjs looks columns up with `in` on a plain object: `constructor` or `toString` would match.
    writer.envelopeWriter!.bloomFilters = Object.create(null);
    return new ParquetPartWriter(
      writer,
      columns.map((column) => column.name),
      columns.map((column) => column.parquetType),
      counting,
    );
  }

  async write(rows: readonly PartRow[]): Promise<void> {
    for (const row of rows) {
      await this.writer.appendRow(this.recordOf(row));
      this.rows++;
    }
  }

  stats(): PartStats {
    return { rows: this.rows, bytes: this.output.bytes };
  }

  async close(): Promise<PartStats> {
    await this.writer.close();
    return this.stats();
  }

  private recordOf(row: PartRow): Record<string, FieldValue> {
    const record: Record<string, FieldValue> = Object.create(null);
    for (let index = 0; index < this.columnNames.length; index++) {
      record[this.columnNames[index]] = this.converters[index](row[index] ?? null);
    }
    return record;
  }
}

export const openParquetPart: OpenPartEncoder = (columns, output, options) =>
  ParquetPartWriter.open(columns, output, options);
