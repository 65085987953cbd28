export * from './tokens';
export * from './run-service';
export * from './service.module';
export * from './stopped-tasks';
export * from './service-health';
