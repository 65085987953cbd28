import { Writable } from 'node:stream';
import { ColumnPlan, Compression } from '@snapex/contracts';
import type { ColumnarBatch } from './columnar-batch';

/**
 * One row in ColumnPlan order, each value already in the representation its parquetType calls for:
 * number (INT32/INT16/FLOAT/DOUBLE), bigint (INT64; TIMESTAMP_MICROS as microseconds since the
 * epoch), boolean, string (STRING; DECIMAL as its exact decimal text), Buffer (BINARY), or null.
 */
export type PartValue = number | bigint | boolean | string | Buffer | null;
export type PartRow = readonly PartValue[];
/** Rows, as an array of rows or column by column. */
export type PartBatch = readonly PartRow[] | ColumnarBatch;

export type PartColumn = Pick<ColumnPlan, 'name' | 'parquetType' | 'decimal' | 'element'>;

export interface PartEncoderOptions {
  /** Rows per row group: bounds the rows held in memory before they are encoded and written. */
  rowGroupRows: number;
  /** The file's codec; gzip when absent. A level left out is the encoder's configured one. */
  compression?: Compression;
}

/** Key-value pairs a file's footer carries (FileMetaData.key_value_metadata), beside the writer's own. */
export type FooterEntries = Readonly<Record<string, string>>;

export interface PartStats {
  rows: number;
  /** Bytes of the finished file, as written to the output. */
  bytes: number;
}

/** Turns rows into one columnar file written to a stream; the file is complete once close() resolves. */
export interface PartEncoder {
  write(batch: PartBatch): Promise<void>;
  /** Rows taken and bytes written to the output so far; rows wait in memory until their row group is full. */
  stats(): PartStats;
  /** Writes what is buffered and the footer, holding `entries`, then ends the output. */
  close(entries?: FooterEntries): Promise<PartStats>;
}

export type OpenPartEncoder = (
  columns: readonly PartColumn[],
  output: Writable,
  options: PartEncoderOptions,
) => Promise<PartEncoder>;
