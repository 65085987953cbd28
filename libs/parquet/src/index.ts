export * from './part-encoder';
export * from './parquet-schema';
export * from './parquet-part-writer';
