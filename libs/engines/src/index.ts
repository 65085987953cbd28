export * from './engine';
export * from './engines';
export * from './exported-types';
export * from './nulled-values';
export { PostgresEngine } from './postgres/postgres-engine';
export { MySqlEngine } from './mysql/mysql-engine';
export { columnPlanFor } from './postgres/pg-types';
export { InvalidSnapshotIdError, quoteIdentifier as quotePostgresIdentifier } from './postgres/sql';
export {
  CONSISTENT_SNAPSHOT_STATEMENTS as MYSQL_CONSISTENT_SNAPSHOT_STATEMENTS,
  exactFloat as exactMySqlFloat,
  quoteIdentifier as quoteMySqlIdentifier,
} from './mysql/my-sql';
export { MySqlSession } from './mysql/my-session';
export { GEOMETRY_TYPES as MYSQL_GEOMETRY_TYPES } from './mysql/my-types';
export { UnknownDecoderError } from './postgres/binary-values';
export { databaseUrl as postgresDatabaseUrl, UnaddressableDatabaseError } from './postgres/pg-session';
export { errorCodeOf, isNetworkFailure } from './network-failures';
export * from './source-refusals';
