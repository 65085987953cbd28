import { OpenPartEncoder } from './part-encoder';
import { openParquetPart } from './parquet-part-writer';
import { openParquetWasmPart } from './parquet-wasm-part-encoder';

export const PART_ENCODER_NAMES = ['parquet-wasm', 'parquetjs'] as const;
export type PartEncoderName = (typeof PART_ENCODER_NAMES)[number];

/** Every encoder writes the same types and values; they differ in speed and in the memory they hold. */
const PART_ENCODERS: Record<PartEncoderName, OpenPartEncoder> = {
  'parquet-wasm': openParquetWasmPart,
  parquetjs: openParquetPart,
};

export function partEncoderNamed(name: PartEncoderName): OpenPartEncoder {
  return PART_ENCODERS[name];
}
