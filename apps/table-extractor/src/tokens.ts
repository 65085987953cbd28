import { Engine } from '@snapex/contracts';
import { DatabaseEngine } from '@snapex/engines';

/** Finds the engine of a read point; engineFor in production. */
export const ENGINES = Symbol('table-extractor:engines');
export type EngineLookup = (engine: Engine) => DatabaseEngine;

/** Opens the encoder part files are written with (OpenPartEncoder). */
export const PART_ENCODER = Symbol('table-extractor:part-encoder');

/** Where part files are stored (PartStorage). */
export const PART_STORAGE = Symbol('table-extractor:part-storage');
