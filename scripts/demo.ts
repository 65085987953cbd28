/**
 * End-to-end demo on one machine: moto as S3/KMS/STS/IAM, a sample PostgreSQL database with a column
 * of every type, the seven services as separate processes, one export through the HTTP API with a
 * progress bar, then the bucket listing and a few rows read back from the Parquet files with DuckDB.
 *
 *   npm run demo            # runs it and stops everything afterwards
 *   npm run demo -- --keep  # leaves the services and moto running for you to try the API
 */
import { SingleBar } from 'cli-progress';
import { join } from 'node:path';
import { recreateDatabase } from './local-stack/databases';
import { adminClients } from './local-stack/export-target';
import { downloadPrefix, listObjects, parquetList, ParquetReader } from './local-stack/readback';
import { createSampleDatabase } from './local-stack/sample-database';
import { API_KEY, REPO_ROOT, Stack } from './local-stack/stack';

const DEMO_DB = 'snapex_demo';
const keep = process.argv.includes('--keep');

function say(text: string): void {
  process.stdout.write(`\n\u001b[1m${text}\u001b[0m\n`);
}

async function main(): Promise<void> {
  say(`1. Creating the sample database ${DEMO_DB} (a column of every PostgreSQL type, 100,000 orders)`);
  const sourceUrl = await recreateDatabase(DEMO_DB);
  await createSampleDatabase(sourceUrl, 100_000);

  say('2. Starting moto (S3, KMS, STS, IAM with policy enforcement) and the seven services');
  const workDir = join(REPO_ROOT, '.snapex', 'demo');
  const stack = await Stack.start({
    name: 'demo',
    sources: [{ name: 'demo-cluster', url: sourceUrl, databases: [DEMO_DB] }],
    workDir,
    config: { logging: { level: 'info' } },
  });
  console.log(`   gateway ${stack.gatewayUrl}, moto ${stack.moto.endpoint}, logs in ${workDir}`);
  try {
    await runExport(stack);
  } finally {
    if (keep) {
      say('Still running (Ctrl-C stops everything). Try:');
      console.log(
        `   curl -s -H 'x-api-key: ${API_KEY}' -H 'content-type: application/json' -d '{}' ${stack.gatewayUrl}/v1/DescribeExportTasks`,
      );
      await new Promise<void>((resolve) => process.once('SIGINT', () => resolve()));
    }
    await stack.stop();
  }
}

async function runExport(stack: Stack): Promise<void> {
  const identifier = `demo-export-${new Date().toISOString().slice(0, 19).replace(/[:T]/g, '-')}`;
  say(`3. StartExportTask ${identifier}`);
  const started = await stack.api('/v1/StartExportTask', {
    ExportTaskIdentifier: identifier,
    SourceArn: stack.clusterArn('demo-cluster'),
    S3BucketName: stack.target.bucket,
    IamRoleArn: stack.target.roleArn,
    KmsKeyId: stack.target.kmsKeyArn,
    S3Prefix: 'demo',
  });
  console.log(JSON.stringify(started.body, null, 2));
  if (started.status !== 200) throw new Error('StartExportTask was refused');

  const task = await followWithProgressBar(stack, identifier);
  console.log(JSON.stringify(task, null, 2));
  if (task.Status !== 'COMPLETE') throw new Error(`the export ended ${task.Status}`);

  say(`4. Objects in s3://${stack.target.bucket}/demo/${identifier}/`);
  const { s3 } = adminClients(stack.moto);
  const objects = await listObjects(s3, stack.target.bucket, `demo/${identifier}/`);
  for (const object of objects) console.log(`   ${String(object.size).padStart(9)}  ${object.key}`);

  say('5. Rows read back from the Parquet files with DuckDB');
  const { dir, keys } = await downloadPrefix(s3, stack.target.bucket, `demo/${identifier}/`);
  const files = (table: string) =>
    keys.filter((key) => key.includes(`/${table}/`) && key.endsWith('.parquet')).map((key) => join(dir, key));
  const reader = await ParquetReader.open();
  console.table(
    await reader.rows(
      `SELECT * FROM read_parquet(${parquetList(files('sales.orders'))}) ORDER BY order_id LIMIT 5`,
    ),
  );
  console.table(
    await reader.rows(
      `SELECT id, c_bigint, c_decimal, c_smallint, c_timestamptz, c_uuid, c_jsonb FROM read_parquet(${parquetList(files('public.all_types'))}) ORDER BY id LIMIT 5`,
    ),
  );
}

async function followWithProgressBar(stack: Stack, identifier: string): Promise<any> {
  const bar = new SingleBar({ format: '   {bar} {percentage}% | {status}', hideCursor: true });
  bar.start(100, 0, { status: 'STARTING' });
  for (;;) {
    const { body } = await stack.api('/v1/DescribeExportTasks', { ExportTaskIdentifier: identifier });
    const task = body.ExportTasks[0];
    bar.update(task.PercentProgress, { status: task.Status });
    if (['COMPLETE', 'FAILED', 'CANCELED'].includes(task.Status)) {
      bar.stop();
      return task;
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

main().then(
  () => process.exit(0),
  (error: Error) => {
    console.error(`demo failed: ${error.message}`);
    process.exit(1);
  },
);
