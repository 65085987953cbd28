export * from './config.schema';
export * from './load-config';
export * from './sources';
export * from './account-trust';
export * from './extractor-memory';
export * from './scratch';
export * from './webhook-destinations';
