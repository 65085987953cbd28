export * from './aws-clients';
export * from './aws-errors';
export * from './export-role';
export * from './aws.module';
export * from './role-session';
export * from './key-guard';
export * from './snapshot-store';
export * from './s3-metrics';
