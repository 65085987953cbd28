export * from './part-encoder';
export * from './parquet-schema';
export * from './parquet-part-writer';
export * from './arrow-batch';
export * from './parquet-footer';
export * from './encoder-threads';
export * from './parquet-wasm-part-encoder';
export * from './encoders';
