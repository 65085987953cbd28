export * from './engine';
export * from './engines';
export * from './exported-types';
export { PostgresEngine } from './postgres/postgres-engine';
export { MySqlEngine } from './mysql/mysql-engine';
export { columnPlanFor } from './postgres/pg-types';
export { InvalidSnapshotIdError } from './postgres/sql';
export { UnknownDecoderError } from './postgres/binary-values';
export { UnaddressableDatabaseError } from './postgres/pg-session';
