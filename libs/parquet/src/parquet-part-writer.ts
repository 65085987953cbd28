import { Writable } from 'node:stream';
import { ParquetWriter } from '@dsnp/parquetjs';
import { decimalStorage } from '@snapex/contracts';
import { UnexpectedValueError } from './arrow-batch';
import { ColumnarBatch, rowsOfBatch } from './columnar-batch';
import { twosComplementBytes, unscaledDecimal } from './decimal';
import { annotateInFooter, parquetSchemaFor } from './parquet-schema';
import {
  FooterEntries,
  OpenPartEncoder,
  PartBatch,
  PartColumn,
  PartEncoder,
  PartEncoderOptions,
  PartRow,
  PartStats,
  PartValue,
} from './part-encoder';

type ParquetOutput = Parameters<typeof ParquetWriter.openStream>[1];
type FieldValue = Exclude<PartValue, string>;

/** The parquetjs encoder writes gzip pages only; zstd and snappy are parquet-wasm's. */
export class UnsupportedCodecError extends Error {
  constructor(codec: string) {
    super(`the parquetjs encoder writes gzip only, not ${codec}`);
    this.name = 'UnsupportedCodecError';
  }
}

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

/** A decimal's exact text as the unscaled integer in the form its physical type takes. */
function toDecimalValue(column: PartColumn): (value: PartValue) => FieldValue {
  const shape = column.decimal!;
  const storage = decimalStorage(shape.precision);
  return (value) => {
    if (value === null) return null;
    const unscaled = typeof value === 'string' ? unscaledDecimal(value, shape) : null;
    if (unscaled === null) throw new UnexpectedValueError(column, value);
    if (storage.physicalType === 'FIXED_LEN_BYTE_ARRAY')
      return twosComplementBytes(unscaled, storage.byteLength);
    return storage.physicalType === 'INT32' ? Number(unscaled) : unscaled;
  };
}

/**
 * Strings go in as UTF-8 bytes: parquetjs orders statistics of JS strings by UTF-16 code units, so
 * a page holding both U+FF41 and U+1F600 would get min/max that byte-ordering readers prune wrongly.
 * Decimals go in as unscaled integers: parquetjs scales JS numbers with floating point.
 */
function toFieldValue(column: PartColumn): (value: PartValue) => FieldValue {
  if (column.parquetType === 'STRING')
    return (value) => (typeof value === 'string' ? Buffer.from(value, 'utf8') : value);
  if (column.parquetType === 'DECIMAL') return toDecimalValue(column);
  return (value) => value as FieldValue;
}

/** PartEncoder on @dsnp/parquetjs: gzip, data pages v1, no page index, one row group per rowGroupRows rows. */
export class ParquetPartWriter implements PartEncoder {
  private rows = 0;
  private readonly converters: ((value: PartValue) => FieldValue)[];

  private constructor(
    private readonly writer: ParquetWriter,
    private readonly columnNames: readonly string[],
    private readonly columns: readonly PartColumn[],
    private readonly output: ByteCountingOutput,
  ) {
    this.converters = columns.map(toFieldValue);
  }

  static async open(
    columns: readonly PartColumn[],
    output: Writable,
    options: PartEncoderOptions,
  ): Promise<ParquetPartWriter> {
    const codec = options.compression?.codec ?? 'gzip';
    if (codec !== 'gzip') throw new UnsupportedCodecError(codec);
    const counting = new ByteCountingOutput(output);
    const schema = parquetSchemaFor(columns);
    const writer = await ParquetWriter.openStream(schema, counting as unknown as ParquetOutput, {
      rowGroupSize: options.rowGroupRows,
      // v1 pages are what every reader understands; parquetjs' page index marks pages as all-null wrongly.
      useDataPageV2: false,
      pageIndex: false,
    });
    // parquetjs looks columns up with `in` on a plain object: `constructor` or `toString` would match.
    const envelope = writer.envelopeWriter!;
    envelope.bloomFilters = Object.create(null);
    const writeFooter = envelope.writeFooter.bind(envelope);
    envelope.writeFooter = (metadata) => {
      annotateInFooter(schema, columns);
      return writeFooter(metadata);
    };
    return new ParquetPartWriter(
      writer,
      columns.map((column) => column.name),
      columns,
      counting,
    );
  }

  async write(batch: PartBatch): Promise<void> {
    const rows = batch instanceof ColumnarBatch ? rowsOfBatch(batch, this.columns) : batch;
    for (const row of rows) {
      await this.writer.appendRow(this.recordOf(row));
      this.rows++;
    }
  }

  stats(): PartStats {
    return { rows: this.rows, bytes: this.output.bytes };
  }

  async close(entries: FooterEntries = {}): Promise<PartStats> {
    for (const [key, value] of Object.entries(entries)) this.writer.setMetadata(key, value);
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
