export * from './aws-clients';
export * from './s3-errors';
export * from './aws.module';
