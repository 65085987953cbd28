import { join } from 'node:path';
import { dropDatabase, pgUrl, recreateDatabase, withPg } from '../../scripts/local-stack/databases';
import { downloadPrefix, getText, ParquetReader, quote } from '../../scripts/local-stack/readback';
import { adminClients, Stack } from '../../scripts/local-stack/stack';
import { printLogsIfFailed } from '../support/service-logs';

jest.setTimeout(180_000);

const DATABASE = `snapex_output_e2e_${process.pid}`;

const TABLE_SQL = `
  CREATE TABLE typed (id integer PRIMARY KEY, amount numeric(10,2), day date, seen timestamptz, uid uuid, doc jsonb);
  INSERT INTO typed
    SELECT g, g * 1.25, DATE '2024-01-01' + g, TIMESTAMPTZ '2024-01-01 00:00:00Z' + g * INTERVAL '1 second',
           md5(g::text)::uuid, jsonb_build_object('n', g)
      FROM generate_series(1, 2000) g;
  INSERT INTO typed VALUES (0, 'NaN', 'infinity', '-infinity', NULL, NULL);
`;

describe('SnapexOutput: native types and codecs through StartExportTask', () => {
  let stack: Stack;
  let reader: ParquetReader;

  beforeAll(async () => {
    const url = await recreateDatabase(DATABASE);
    await withPg(url, (client) => client.query(TABLE_SQL));
    stack = await Stack.start({
      name: 'snapex-output-e2e',
      sources: [{ name: 'pg-output', engine: 'postgres', url: pgUrl(DATABASE), databases: [DATABASE] }],
    });
    reader = await ParquetReader.open();
  });

  afterAll(async () => {
    await stack?.stop();
    await dropDatabase(DATABASE);
  });

  afterEach(() => printLogsIfFailed(stack));

  async function exportWith(identifier: string, output: Record<string, unknown>) {
    await stack.startExport(identifier, stack.clusterArn('pg-output'), { SnapexOutput: output });
    const task = await stack.waitForStatus(identifier, ['COMPLETE', 'FAILED', 'CANCELED']);
    expect({ Status: task.Status, FailureCause: task.FailureCause }).toEqual({ Status: 'COMPLETE' });
    const { s3 } = adminClients(stack.moto);
    const { dir, keys } = await downloadPrefix(s3, stack.target.bucket, `${identifier}/`);
    const files = keys.filter((key) => key.endsWith('.parquet')).map((key) => join(dir, key));
    const tablesKey = keys.find((key) => /export_tables_info_.*\.json$/.test(key))!;
    const tablesInfo = JSON.parse(await getText(s3, stack.target.bucket, tablesKey));
    return { task, keys, files, table: tablesInfo.perTableStatus[0] };
  }

  it('writes native logical types with zstd at the asked level, counting what they cannot hold', async () => {
    const { task, keys, files, table } = await exportWith(`native-zstd-${Date.now()}`, {
      TypeMode: 'native',
      Codec: 'zstd',
      CodecLevel: 9,
    });
    expect(keys.filter((key) => key.endsWith('.parquet')).every((key) => key.endsWith('.zstd.parquet'))).toBe(
      true,
    );
    const list = `[${files.map(quote).join(', ')}]`;
    const types = await reader.rows(
      `SELECT column_name, column_type FROM (DESCRIBE SELECT * FROM read_parquet(${list}))`,
    );
    expect(Object.fromEntries(types.map((type) => [type.column_name, type.column_type]))).toEqual({
      id: 'INTEGER',
      amount: 'DECIMAL(10,2)',
      day: 'DATE',
      seen: 'TIMESTAMP WITH TIME ZONE',
      uid: 'UUID',
      doc: 'JSON',
    });
    for (const file of files) expect(await reader.codecs(file)).toEqual(['ZSTD']);
    const [sums] = await reader.rows(
      `SELECT count(*)::INTEGER AS rows, sum(amount)::VARCHAR AS amount, max(day)::VARCHAR AS day,
              max(epoch_us(seen))::VARCHAR AS seen, count(DISTINCT uid)::INTEGER AS uids,
              sum((doc->>'n')::INTEGER)::INTEGER AS n
         FROM read_parquet(${list})`,
    );
    const [expected] = await withPg(
      pgUrl(DATABASE),
      async (client) =>
        (
          await client.query(`SELECT count(*)::int AS rows, sum(amount) FILTER (WHERE amount <> 'NaN')::text AS amount,
                                   max(day) FILTER (WHERE day <> 'infinity')::text AS day,
                                   (max(extract(epoch FROM seen) * 1000000) FILTER (WHERE seen <> '-infinity'))::bigint::text AS seen,
                                   count(DISTINCT uid)::int AS uids, sum((doc->>'n')::int)::int AS n FROM typed`)
        ).rows,
    );
    expect(sums).toEqual(expected);
    expect(
      table.schemaMetadata.originalTypeMappings.find(
        (column: { columnName: string }) => column.columnName === 'day',
      ),
    ).toMatchObject({
      expectedExportedType: 'int32 (DATE)',
    });
    expect(table.nulledValues).toEqual([
      { columnName: 'amount', reason: 'NOT_REPRESENTABLE', count: 1 },
      { columnName: 'day', reason: 'NOT_REPRESENTABLE', count: 1 },
      { columnName: 'seen', reason: 'NOT_REPRESENTABLE', count: 1 },
    ]);
    expect(JSON.parse(task.WarningMessage).general).toContainEqual(
      expect.objectContaining({
        reason: `Table ${table.target}: 3 values the source holds were exported as NULL.`,
      }),
    );
  });

  it('keeps the AWS types with snappy pages, and refuses a level snappy does not have', async () => {
    const { files } = await exportWith(`aws-snappy-${Date.now()}`, { Codec: 'snappy' });
    expect(files.every((file) => file.endsWith('.snappy.parquet'))).toBe(true);
    const [file] = files;
    expect(await reader.codecs(file)).toEqual(['SNAPPY']);
    const types = await reader.rows(
      `SELECT column_type FROM (DESCRIBE SELECT amount, day, uid FROM ${quote(file)})`,
    );
    expect(types.map((type) => type.column_type)).toEqual(['VARCHAR', 'VARCHAR', 'VARCHAR']);

    const refused = await stack.api('/v1/StartExportTask', {
      ExportTaskIdentifier: `bad-level-${Date.now()}`,
      SourceArn: stack.clusterArn('pg-output'),
      S3BucketName: stack.target.bucket,
      IamRoleArn: stack.target.roleArn,
      KmsKeyId: stack.target.kmsKeyArn,
      SnapexOutput: { Codec: 'snappy', CodecLevel: 3 },
    });
    expect(refused.status).toBe(400);
    expect(JSON.stringify(refused.body)).toContain('InvalidParameterValue');
  });
});
