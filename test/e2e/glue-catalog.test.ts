import { readFileSync } from 'node:fs';
import { GetTablesCommand, GlueClient, Table } from '@aws-sdk/client-glue';
import { AwsClients } from '@snapex/aws';
import { parseConfig } from '@snapex/config';
import { FailureMessages, OriginalTypeMapping, TaskSpec, tableKeyPrefix } from '@snapex/contracts';
import { parse } from 'yaml';
import { catalogTablesOf, GlueCatalog } from '../../apps/metadata-writer/src/glue-catalog';
import { dropDatabase, pgUrl, recreateDatabase } from '../../scripts/local-stack/databases';
import { detachRolePolicy } from '../../scripts/local-stack/export-target';
import { MOTO_ACCOUNT, MOTO_REGION } from '../../scripts/local-stack/moto';
import { getText, listObjects } from '../../scripts/local-stack/readback';
import { createSampleDatabase } from '../../scripts/local-stack/sample-database';
import { adminClients, Stack } from '../../scripts/local-stack/stack';
import { printLogsIfFailed } from '../support/service-logs';

jest.setTimeout(120_000);

const SOURCE = `snapex_glue_${process.pid}`;
const PREFIX = 'exports_';
const GLUE_DATABASE = `${PREFIX}${SOURCE}`;

interface TableInfo {
  target: string;
  status: string;
  schemaMetadata: { originalTypeMappings: OriginalTypeMapping[] };
}

/** Hive types the sample's columns must have, as Athena reads the exported Parquet. */
const KNOWN_TYPES: Record<string, string> = {
  'sales_orders.order_id': 'bigint',
  'sales_orders.quantity': 'int',
  'sales_orders.amount': 'string',
  'public_all_types.c_integer': 'int',
  'public_all_types.c_bigint': 'bigint',
  'public_all_types.c_boolean': 'boolean',
  'public_all_types.c_double': 'double',
  'public_all_types.c_bytea': 'binary',
  'public_all_types.c_date': 'string',
};

describe('an export registered in the Glue Data Catalog (moto)', () => {
  let stack: Stack;
  let glue: GlueClient;

  beforeAll(async () => {
    await createSampleDatabase(await recreateDatabase(SOURCE), 200);
    stack = await Stack.start({
      name: 'snapex-glue',
      sources: [{ name: 'pg-cluster', url: pgUrl(SOURCE), databases: [SOURCE] }],
      config: { metadataWriter: { glueCatalog: { enabled: true, databasePrefix: PREFIX } } },
    });
    glue = new GlueClient({
      endpoint: stack.moto.endpoint,
      region: MOTO_REGION,
      credentials: stack.moto.admin,
    });
  });

  afterAll(async () => {
    glue?.destroy();
    await stack?.stop();
    await dropDatabase(SOURCE);
  });

  afterEach(() => printLogsIfFailed(stack));

  const catalogTables = async (): Promise<Table[]> =>
    (await glue.send(new GetTablesCommand({ DatabaseName: GLUE_DATABASE }))).TableList ?? [];

  it('creates one table per exported table with its folder and the Athena column types; a redelivery changes nothing', async () => {
    const identifier = `glue-${Date.now()}`;
    const task = await stack.exportCluster(identifier, 'pg-cluster');
    expect({ Status: task.Status, FailureCause: task.FailureCause }).toEqual({ Status: 'COMPLETE' });

    const { s3 } = adminClients(stack.moto);
    const [infoObject] = await listObjects(s3, stack.target.bucket, `${identifier}/export_tables_info_`);
    const info: TableInfo[] = JSON.parse(
      await getText(s3, stack.target.bucket, infoObject.key),
    ).perTableStatus;
    s3.destroy();
    const exported = info.filter((table) => table.status === 'COMPLETE');
    expect(exported).toHaveLength(5);

    const registered = await catalogTables();
    const byName = new Map(registered.map((table) => [table.Name!, table]));
    expect([...byName.keys()].sort()).toEqual([
      'inventory_empty_table',
      'inventory_items',
      'public_all_types',
      'sales_orders',
      'sales_refunds',
    ]);
    const defined = exported.map((table) => {
      const [database, schema, name] = table.target.split('.');
      return {
        database,
        schema,
        table: name,
        folder: tableKeyPrefix('', identifier, database, schema, name),
        columns: table.schemaMetadata.originalTypeMappings,
      };
    });
    for (const table of defined) {
      const entry = byName.get(`${table.schema}_${table.table}`)!;
      expect(entry.Parameters).toMatchObject({
        classification: 'parquet',
        'snapex.exportTaskIdentifier': identifier,
      });
      expect(entry.StorageDescriptor).toMatchObject({
        Location: `s3://${stack.target.bucket}/${identifier}/${SOURCE}/${table.schema}.${table.table}/`,
        SerdeInfo: { SerializationLibrary: 'org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe' },
      });
      const columns = entry.StorageDescriptor!.Columns!;
      expect(columns.map((column) => [column.Name, column.Comment])).toEqual(
        table.columns.map((column) => [column.columnName.toLowerCase(), column.originalType]),
      );
      for (const column of columns) {
        const known = KNOWN_TYPES[`${entry.Name}.${column.Name}`];
        if (known)
          expect({ column: column.Name, type: column.Type }).toEqual({ column: column.Name, type: known });
      }
    }
    const checkedTypes = registered.flatMap((table) =>
      table.StorageDescriptor!.Columns!.filter((column) => KNOWN_TYPES[`${table.Name}.${column.Name}`]),
    );
    expect(checkedTypes).toHaveLength(Object.keys(KNOWN_TYPES).length);

    // The same event delivered again, as the metadata-writer would handle it: nothing is written.
    const config = parseConfig(parse(readFileSync(stack.configFile, 'utf8')));
    const aws = new AwsClients(config);
    const spec = {
      s3Bucket: stack.target.bucket,
      exportTaskIdentifier: identifier,
      iamRoleArn: stack.target.roleArn,
      accountId: MOTO_ACCOUNT,
      sourceArn: task.SourceArn,
    } as TaskSpec;
    const again = await new GlueCatalog(aws).register(spec, catalogTablesOf(spec, defined, PREFIX));
    aws.forget({ roleArn: spec.iamRoleArn, callerAccountId: MOTO_ACCOUNT, sourceArn: task.SourceArn });
    expect(again).toEqual({ created: 0, updated: 0 });
    const versions = (tables: Table[]) =>
      tables.map((table) => [table.Name, table.VersionId, table.UpdateTime?.toISOString()]).sort();
    // An UpdateTable would have made a new version of the table.
    expect(registered.map((table) => table.VersionId)).toEqual(registered.map(() => '1'));
    expect(versions(await catalogTables())).toEqual(versions(registered));
  });

  it('fails the task at its metadata stage, naming the Glue database, when the role may not register', async () => {
    await detachRolePolicy(stack.moto, stack.target, stack.target.catalogPolicyArn);
    const identifier = `glue-denied-${Date.now()}`;
    const task = await stack.exportCluster(identifier, 'pg-cluster');
    expect({ Status: task.Status, FailureCause: task.FailureCause }).toEqual({
      Status: 'FAILED',
      // AWS names the code AccessDeniedException; moto answers a JSON service's refusal in XML.
      FailureCause: FailureMessages.catalogRegistrationFailed(
        GLUE_DATABASE,
        stack.target.roleArn,
        '403 Forbidden',
      ),
    });
    const { s3 } = adminClients(stack.moto);
    const objects = await listObjects(s3, stack.target.bucket, `${identifier}/`);
    s3.destroy();
    // The data and the tables files are there; export_info, written last, is not.
    expect(objects.some((object) => object.key.endsWith('.parquet'))).toBe(true);
    expect(objects.some((object) => object.key.includes('export_tables_info_'))).toBe(true);
    expect(objects.some((object) => object.key.includes('export_info_'))).toBe(false);
  });
});
