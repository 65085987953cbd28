import { Engine } from '@snapex/contracts';
import { DatabaseEngine } from '@snapex/engines';

/** Finds the engine of a read point; engineFor in production. */
export const ENGINES = Symbol('table-extractor:engines');
export type EngineLookup = (engine: Engine) => DatabaseEngine;

/** Opens the encoder part files are written with (OpenPartEncoder). */
export const PART_ENCODER = Symbol('table-extractor:part-encoder');

/** Where part files are stored (PartStorage). */
export const PART_STORAGE = Symbol('table-extractor:part-storage');

/** The parquet-wasm encoder's threads (EncoderThreads); null with the parquetjs encoder. */
export const ENCODER_THREADS = Symbol('table-extractor:encoder-threads');
