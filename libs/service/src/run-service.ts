import 'reflect-metadata';
import { DynamicModule, INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ConfigError, loadConfig, ServiceName, SnapexConfig } from '@snapex/config';
import { createLogger, Logger, NestPinoLogger } from '@snapex/logging';
import { startTracing } from '@snapex/telemetry';
import { ServiceOperations } from './service-health';

export interface ServiceDefinition {
  /** Name in logs, durable consumer names and queue groups; picks its observability port. */
  name: ServiceName;
  /** Builds the root module from validated configuration. */
  module: (config: SnapexConfig, logger: Logger) => DynamicModule;
  /** Starts listening for HTTP when the service has an HTTP face (api-gateway). */
  http?: (config: SnapexConfig) => { host: string; port: number };
}

/**
 * Boots one snapex service as its own process: configuration is validated first and a bad setting
 * stops start-up with a message naming it; SIGTERM/SIGINT shut the service down cleanly.
 */
export async function runService(definition: ServiceDefinition): Promise<INestApplicationContext> {
  const logger = createLogger(definition.name);
  let config: SnapexConfig;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      logger.fatal(error.message);
      process.stderr.write(`${definition.name}: refusing to start:\n${error.message}\n`);
      process.exit(78);
    }
    throw error;
  }
  logger.level = config.logging.level;
  process.on('unhandledRejection', (reason) => logger.error({ err: reason }, 'unhandled rejection'));
  try {
    startTracing(definition.name, config.observability.tracing);
    const module = definition.module(config, logger);
    const nestLogger = new NestPinoLogger(logger);
    if (definition.http) {
      const app = await NestFactory.create(module, { logger: nestLogger, bodyParser: false });
      app.enableShutdownHooks();
      const { host, port } = definition.http(config);
      await app.listen(port, host);
      await app.get(ServiceOperations).listen(definition.name);
      logger.info({ url: await app.getUrl() }, `${definition.name} listening`);
      return app;
    }
    const app = await NestFactory.createApplicationContext(module, { logger: nestLogger });
    app.enableShutdownHooks();
    await app.init();
    await app.get(ServiceOperations).listen(definition.name);
    logger.info(`${definition.name} started`);
    return app;
  } catch (error) {
    logger.fatal({ err: error }, `${definition.name} failed to start`);
    process.stderr.write(`${definition.name}: failed to start: ${(error as Error).message}\n`);
    process.exit(1);
  }
}
