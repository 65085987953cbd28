import {
  AccessDeniedException,
  CreateDatabaseCommand,
  CreateTableCommand,
  EntityNotFoundException,
  GetDatabaseCommand,
  GetTableCommand,
  TableInput,
  UpdateTableCommand,
} from '@aws-sdk/client-glue';
import { AwsClients } from '@snapex/aws';
import { TaskSpec } from '@snapex/contracts';
import { CatalogRegistrationError, catalogTablesOf, GlueCatalog } from './glue-catalog';
import { DefinedTable } from './table-definitions';
import { ORDERS } from './table-definitions.fixture';

const EMPTY_SCHEMA: DefinedTable = { ...ORDERS, table: 'nothing', columns: [] };
const SPEC = {
  s3Bucket: 'bucket',
  exportTaskIdentifier: 'x',
  iamRoleArn: 'arn:aws:iam::123456789012:role/export',
  accountId: '123456789012',
  sourceArn: 'arn:aws:rds:us-east-1:123456789012:cluster:c',
} as TaskSpec;

/** Glue's answers over an in-memory catalog, counting the calls that change it. */
function fakeGlue(refuse?: string) {
  const databases = new Set<string>();
  const tables = new Map<string, TableInput>();
  const changes: string[] = [];
  const notFound = () => new EntityNotFoundException({ message: 'not found', $metadata: {} });
  const send = jest.fn(async (command: unknown) => {
    if (refuse && command?.constructor.name === refuse)
      throw new AccessDeniedException({ message: 'denied', $metadata: { httpStatusCode: 400 } });
    if (command instanceof GetDatabaseCommand) {
      if (!databases.has(command.input.Name!)) throw notFound();
      return { Database: { Name: command.input.Name } };
    }
    if (command instanceof CreateDatabaseCommand) {
      databases.add(command.input.DatabaseInput!.Name!);
      changes.push(`database ${command.input.DatabaseInput!.Name}`);
      return {};
    }
    if (command instanceof GetTableCommand) {
      const table = tables.get(`${command.input.DatabaseName}.${command.input.Name}`);
      if (!table) throw notFound();
      return { Table: { ...table, CreateTime: new Date(), VersionId: '1' } };
    }
    if (command instanceof CreateTableCommand || command instanceof UpdateTableCommand) {
      const { DatabaseName, TableInput: input } = command.input;
      tables.set(`${DatabaseName}.${input!.Name}`, structuredClone(input!));
      changes.push(`${command.constructor.name} ${DatabaseName}.${input!.Name}`);
      return {};
    }
    throw new Error(`unexpected ${String(command?.constructor.name)}`);
  });
  const aws = { forRole: () => ({ glue: { send } }) } as unknown as AwsClients;
  return { aws, tables, changes };
}

describe('registering an export in the Glue Data Catalog', () => {
  it('declares external Parquet tables with the Athena definitions’ names, types and locations', () => {
    const [orders, ...rest] = catalogTablesOf(SPEC, [ORDERS, EMPTY_SCHEMA], 'exports_');
    expect(rest).toEqual([]);
    expect(orders.database).toBe('exports_shop');
    // The columns the Athena definitions declare, names in lower case as Athena registers them.
    expect(orders.input).toMatchObject({
      Name: 'sales_order__lines_',
      TableType: 'EXTERNAL_TABLE',
      Parameters: { classification: 'parquet', 'snapex.exportTaskIdentifier': 'x' },
      StorageDescriptor: {
        Location: 's3://bucket/p/x/shop/sales.Order__Lines_/',
        InputFormat: 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat',
        SerdeInfo: { SerializationLibrary: 'org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe' },
      },
    });
    expect(orders.input.StorageDescriptor!.Columns).toEqual([
      { Name: 'id', Type: 'bigint', Comment: 'bigint' },
      { Name: 'amount', Type: 'string', Comment: 'numeric(12,2)' },
      { Name: 'huge', Type: 'string', Comment: 'numeric(50,2)' },
      { Name: 'on', Type: 'string', Comment: 'date' },
      { Name: 'at', Type: 'string', Comment: 'timestamp(3) with time zone' },
      { Name: "it's", Type: 'string', Comment: 'text' },
      { Name: 'u', Type: 'decimal(20,0)', Comment: 'bigint(20) unsigned' },
    ]);
  });

  it('creates the database and tables once; a second delivery changes nothing, a new export updates', async () => {
    const glue = fakeGlue();
    const catalog = new GlueCatalog(glue.aws);
    expect(await catalog.register(SPEC, catalogTablesOf(SPEC, [ORDERS], ''))).toEqual({
      created: 1,
      updated: 0,
    });
    expect(await catalog.register(SPEC, catalogTablesOf(SPEC, [ORDERS], ''))).toEqual({
      created: 0,
      updated: 0,
    });
    expect(glue.changes).toEqual(['database shop', 'CreateTableCommand shop.sales_order__lines_']);

    const next = { ...SPEC, exportTaskIdentifier: 'y' };
    const moved = { ...ORDERS, folder: 'p/y/shop/sales.Order__Lines_' };
    expect(await catalog.register(next, catalogTablesOf(next, [moved], ''))).toEqual({
      created: 0,
      updated: 1,
    });
    expect(glue.tables.get('shop.sales_order__lines_')!.StorageDescriptor!.Location).toBe(
      's3://bucket/p/y/shop/sales.Order__Lines_/',
    );
  });

  it('turns a refusal into a registration error that names the database and the code', async () => {
    const catalog = new GlueCatalog(fakeGlue('CreateTableCommand').aws);
    const failure = await catalog.register(SPEC, catalogTablesOf(SPEC, [ORDERS], '')).catch((error) => error);
    expect(failure).toBeInstanceOf(CatalogRegistrationError);
    expect(failure).toMatchObject({ database: 'shop', errorCode: 'AccessDeniedException' });
  });
});
