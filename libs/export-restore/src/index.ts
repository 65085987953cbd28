export * from './export-source';
export * from './parquet-rows';
export * from './restore-target';
export * from './postgres-target';
export * from './mysql-target';
export * from './restore-export';
export * from './open-target';
