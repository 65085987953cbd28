import { S3Client } from '@aws-sdk/client-s3';
import { restoreExport, RestoreProgress, S3ExportSource, targetFor } from '@snapex/export-restore';
import { UsageError } from './arguments';
import { EXIT } from './commands';
import { ProgressStream } from './progress-view';
import { ConnectionOptions, signingOf } from './rds-client';

export interface RestoreExportOptions {
  s3BucketName: string;
  s3Prefix?: string;
  exportTaskIdentifier: string;
  targetUrl?: string;
  concurrency: string;
  only?: string[];
  s3EndpointUrl?: string;
}

function concurrencyOf(text: string): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1 || value > 64)
    throw new UsageError('--concurrency must be a whole number from 1 to 64.');
  return value;
}

/** One line per finished table and per tenth of the rows, so logs and pipes stay readable. */
function progressLines(stream: ProgressStream): (progress: RestoreProgress) => void {
  let lastTenth = -1;
  let lastTables = 0;
  return (progress) => {
    const tenth = progress.rowsTotal === 0 ? 10 : Math.floor((10 * progress.rowsDone) / progress.rowsTotal);
    if (tenth === lastTenth && progress.tablesDone === lastTables) return;
    lastTenth = tenth;
    lastTables = progress.tablesDone;
    stream.write(
      `restore: ${progress.tablesDone}/${progress.tablesTotal} tables, ${progress.rowsDone}/${progress.rowsTotal} rows\n`,
    );
  };
}

/**
 * `snapex restore-export`: reads an export's export_tables_info and Parquet parts from S3 and
 * recreates its tables and rows in a PostgreSQL or MySQL database.
 */
export async function runRestoreExport(
  options: RestoreExportOptions,
  connection: ConnectionOptions,
  io: { stdout: ProgressStream; env: NodeJS.ProcessEnv },
): Promise<number> {
  const targetUrl = options.targetUrl ?? io.env.SNAPEX_RESTORE_TARGET_URL;
  if (!targetUrl) throw new UsageError('restore-export needs --target-url or SNAPEX_RESTORE_TARGET_URL.');
  const endpoint = options.s3EndpointUrl ?? io.env.AWS_ENDPOINT_URL_S3 ?? io.env.AWS_ENDPOINT_URL;
  const s3 = new S3Client({
    ...signingOf(connection, io.env),
    ...(endpoint ? { endpoint, forcePathStyle: true } : {}),
  });
  try {
    const restored = await restoreExport({
      source: new S3ExportSource(s3, {
        bucket: options.s3BucketName,
        s3Prefix: options.s3Prefix ?? '',
        exportTaskIdentifier: options.exportTaskIdentifier,
      }),
      openTarget: targetFor(targetUrl),
      concurrency: concurrencyOf(options.concurrency),
      only: options.only,
      onProgress: progressLines(io.stdout),
    });
    const tables = restored.map(({ target, name, rows }) => ({
      Source: target,
      Table: [name.schema, name.table].filter((part) => part !== null).join('.'),
      Rows: rows,
    }));
    io.stdout.write(`${JSON.stringify({ RestoredTables: tables }, null, 4)}\n`);
    return EXIT.ok;
  } finally {
    s3.destroy();
  }
}
