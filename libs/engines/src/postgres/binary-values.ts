import { ColumnPlan } from '@snapex/contracts';
import { escapeIdentifier } from 'pg';
import { ExportRow } from '../engine';
import { BinaryCopyField, BinaryCopyFormatError, FieldDecoder } from './binary-copy-parser';
import { PgDecoder } from './pg-types';
import { textOutputExpression } from './sql';

type ExportValue = ExportRow[number];

export class UnknownDecoderError extends Error {
  constructor(decoder: string) {
    super(`no PostgreSQL value decoder named ${JSON.stringify(decoder)}`);
    this.name = 'UnknownDecoderError';
  }
}

/** A value of a fixed-width type; any other length means the column was not selected as that type. */
function fixedWidth(
  width: number,
  read: (buffer: Buffer, start: number) => ExportValue,
): FieldDecoder<ExportValue> {
  return (buffer, start, end) => {
    if (end - start !== width) {
      throw new BinaryCopyFormatError(`a ${end - start}-byte value where ${width} bytes were expected`);
    }
    return read(buffer, start);
  };
}

/** The chunk is reused for later rows, so bytes are copied out of it. */
const copyBytes: FieldDecoder<ExportValue> = (buffer, start, end) => Buffer.from(buffer.subarray(start, end));

/** The session's client_encoding is UTF8, which pg sets on every connection. */
const utf8Text: FieldDecoder<ExportValue> = (buffer, start, end) => buffer.toString('utf8', start, end);

/**
 * How each decoder's column travels in binary COPY: the seed's native types in their binary send
 * format (big-endian integers, IEEE floats with NaN and infinities, one byte per boolean, raw bytea),
 * everything else as the UTF-8 bytes of its text output, however it was selected.
 */
const BINARY_DECODERS: Record<PgDecoder, FieldDecoder<ExportValue>> = {
  int8: fixedWidth(8, (buffer, start) => buffer.readBigInt64BE(start)),
  int4: fixedWidth(4, (buffer, start) => buffer.readInt32BE(start)),
  int2: fixedWidth(2, (buffer, start) => buffer.readInt16BE(start)),
  float8: fixedWidth(8, (buffer, start) => buffer.readDoubleBE(start)),
  float4: fixedWidth(4, (buffer, start) => buffer.readFloatBE(start)),
  bool: fixedWidth(1, (buffer, start) => buffer[start] !== 0),
  bytea: copyBytes,
  text: utf8Text,
  text_cast: utf8Text,
  text_output: utf8Text,
};

function isPgDecoder(decoder: string): decoder is PgDecoder {
  return Object.prototype.hasOwnProperty.call(BINARY_DECODERS, decoder);
}

export function binaryDecoderFor(decoder: string): FieldDecoder<ExportValue> {
  if (!isPgDecoder(decoder)) throw new UnknownDecoderError(decoder);
  return BINARY_DECODERS[decoder];
}

/** What to select for a column so that its binary COPY field decodes to the exported value. */
export function selectExpressionFor(column: ColumnPlan): string {
  const name = escapeIdentifier(column.name);
  if (column.decoder === 'text_cast') return `${name}::pg_catalog.text`;
  if (column.decoder === 'text_output') return textOutputExpression(name);
  return name;
}

export function binaryCopyFieldFor(column: ColumnPlan): BinaryCopyField<ExportValue> {
  return { name: column.name, decode: binaryDecoderFor(column.decoder) };
}
