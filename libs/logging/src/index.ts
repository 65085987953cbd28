import pino, { Logger } from 'pino';

export type { Logger } from 'pino';

/** Structured JSON logs on stdout, every line naming the service that wrote it. */
export function createLogger(service: string, level = process.env.SNAPEX_LOG_LEVEL ?? 'info'): Logger {
  return pino({
    level,
    base: { service, pid: process.pid },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
  });
}

export { NestPinoLogger } from './nest-logger';
