import { ExportRow } from '../engine';
import { rowDecoderOf } from '../row-decoder';
import { PgDecoder } from './pg-types';

type ExportValue = ExportRow[number];
type TextValueDecoder = (text: string) => ExportValue;

export class UnknownDecoderError extends Error {
  constructor(decoder: string) {
    super(`no PostgreSQL text decoder named ${JSON.stringify(decoder)}`);
    this.name = 'UnknownDecoderError';
  }
}

function decodeBytea(text: string): Buffer {
  // bytea_output = 'hex' is set on every read; anything else would decode silently wrong.
  if (!text.startsWith('\\x')) throw new Error('bytea value is not in hex output format');
  return Buffer.from(text.slice(2), 'hex');
}

/** Number() reads PostgreSQL's `NaN`, `Infinity` and `-Infinity` spellings as the matching doubles. */
const decodeFloat: TextValueDecoder = (text) => Number(text);

/** Values arrive as PostgreSQL's text output (with the session settings the reader fixes). */
const TEXT_DECODERS: Record<PgDecoder, TextValueDecoder> = {
  int8: (text) => BigInt(text),
  int4: (text) => Number(text),
  int2: (text) => Number(text),
  float8: decodeFloat,
  float4: decodeFloat,
  bool: (text) => text === 't',
  bytea: decodeBytea,
  text: (text) => text,
};

function isPgDecoder(decoder: string): decoder is PgDecoder {
  return Object.prototype.hasOwnProperty.call(TEXT_DECODERS, decoder);
}

export function textDecoderFor(decoder: string): TextValueDecoder {
  if (!isPgDecoder(decoder)) throw new UnknownDecoderError(decoder);
  return TEXT_DECODERS[decoder];
}

/** Turns one row of text values (rowMode 'array') into an ExportRow, column by column. */
export function rowDecoderFor(decoders: readonly string[]): (row: readonly (string | null)[]) => ExportRow {
  return rowDecoderOf(decoders.map(textDecoderFor));
}
