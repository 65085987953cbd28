import { EncoderThreads } from './encoder-threads';
import { OpenPartEncoder } from './part-encoder';
import { openParquetPart } from './parquet-part-writer';
import {
  DEFAULT_PARQUET_WASM_TUNING,
  parquetWasmEncoder,
  ParquetWasmTuning,
} from './parquet-wasm-part-encoder';

export const PART_ENCODER_NAMES = ['parquet-wasm', 'parquetjs'] as const;
export type PartEncoderName = (typeof PART_ENCODER_NAMES)[number];

/** Every encoder writes the same types and values; they differ in speed and in the memory they hold. */
const PART_ENCODERS: Record<PartEncoderName, (tuning: ParquetWasmTuning) => OpenPartEncoder> = {
  'parquet-wasm': (tuning) => parquetWasmEncoder(new EncoderThreads(tuning.threads), tuning),
  // parquetjs encodes on the calling thread and holds rowGroupRows rows; the tuning is parquet-wasm's.
  parquetjs: () => openParquetPart,
};

/** The encoder of that name; parquet-wasm gets threads of its own, started as files need them. */
export function partEncoderNamed(
  name: PartEncoderName,
  tuning: ParquetWasmTuning = DEFAULT_PARQUET_WASM_TUNING,
): OpenPartEncoder {
  return PART_ENCODERS[name](tuning);
}
