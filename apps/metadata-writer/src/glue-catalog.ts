import {
  CreateDatabaseCommand,
  CreateTableCommand,
  EntityNotFoundException,
  GetDatabaseCommand,
  GetTableCommand,
  GlueClient,
  Table,
  TableInput,
  UpdateTableCommand,
} from '@aws-sdk/client-glue';
import { Inject, Injectable } from '@nestjs/common';
import { awsErrorCode, AwsClients, exportRoleOf, isTransientAwsError } from '@snapex/aws';
import { TaskSpec } from '@snapex/contracts';
import { athenaNames, DefinedTable, hiveColumnsOf, tableLocation } from './table-definitions';

const PARQUET = {
  inputFormat: 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat',
  outputFormat: 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat',
  serde: 'org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe',
};
/** The table parameter that names the export a catalog table was last pointed at. */
export const EXPORT_TASK_PARAMETER = 'snapex.exportTaskIdentifier';

/** One catalog table as snapex registers it. */
export interface CatalogTable {
  database: string;
  input: TableInput;
}

/**
 * The catalog tables of an export: the Athena definitions' names (the database's behind `prefix`),
 * types and locations, as external Parquet tables. Glue keeps column names in lower case, as Athena
 * registers them.
 */
export function catalogTablesOf(
  spec: Pick<TaskSpec, 's3Bucket' | 'exportTaskIdentifier'>,
  tables: readonly DefinedTable[],
  prefix: string,
): CatalogTable[] {
  const names = athenaNames(tables);
  return tables.flatMap((table, index) =>
    table.columns.length === 0
      ? []
      : [
          {
            database: `${prefix}${names[index].database}`,
            input: {
              Name: names[index].table,
              TableType: 'EXTERNAL_TABLE',
              Parameters: {
                classification: 'parquet',
                EXTERNAL: 'TRUE',
                [EXPORT_TASK_PARAMETER]: spec.exportTaskIdentifier,
              },
              StorageDescriptor: {
                Columns: hiveColumnsOf(table).map((column) => ({
                  Name: column.name.toLowerCase(),
                  Type: column.type,
                  Comment: column.comment,
                })),
                Location: tableLocation(spec.s3Bucket, table),
                InputFormat: PARQUET.inputFormat,
                OutputFormat: PARQUET.outputFormat,
                SerdeInfo: {
                  SerializationLibrary: PARQUET.serde,
                  Parameters: { 'serialization.format': '1' },
                },
              },
            },
          },
        ],
  );
}

/** What of a catalog table snapex decides; what Glue adds (times, owner, version) is left out. */
function registeredShape(table: TableInput | Table) {
  const descriptor = table.StorageDescriptor;
  return {
    type: table.TableType,
    parameters: table.Parameters ?? {},
    columns: (descriptor?.Columns ?? []).map(({ Name, Type, Comment }) => ({ Name, Type, Comment })),
    location: descriptor?.Location,
    inputFormat: descriptor?.InputFormat,
    outputFormat: descriptor?.OutputFormat,
    serde: descriptor?.SerdeInfo?.SerializationLibrary,
    serdeParameters: descriptor?.SerdeInfo?.Parameters ?? {},
  };
}

export function sameRegistration(existing: Table, wanted: TableInput): boolean {
  return JSON.stringify(registeredShape(existing)) === JSON.stringify(registeredShape(wanted));
}

/** Glue refused (or failed) registering a table; the export's files stay as written. */
export class CatalogRegistrationError extends Error {
  constructor(
    readonly database: string,
    readonly errorCode: string,
    options: { cause: unknown },
  ) {
    super(`Glue Data Catalog registration in ${database}: ${errorCode}`, options);
    this.name = 'CatalogRegistrationError';
  }
}

const isMissing = (error: unknown) => error instanceof EntityNotFoundException;

/**
 * Registers an export's tables in the Glue Data Catalog of its account, as the export's role:
 * databases are created when missing, tables created or updated only where they differ, so that a
 * redelivered event changes nothing. Throttling and 5xx answers are thrown as they are (retried);
 * any other refusal becomes a CatalogRegistrationError.
 */
@Injectable()
export class GlueCatalog {
  constructor(@Inject(AwsClients) private readonly aws: AwsClients) {}

  async register(
    spec: TaskSpec,
    tables: readonly CatalogTable[],
  ): Promise<{ created: number; updated: number }> {
    const glue = this.aws.forRole(exportRoleOf(spec)).glue;
    const counts = { created: 0, updated: 0 };
    for (const database of new Set(tables.map((table) => table.database))) {
      await this.guarded(database, () => this.ensureDatabase(glue, database, spec));
    }
    for (const table of tables) {
      const outcome = await this.guarded(table.database, () => this.ensureTable(glue, table));
      if (outcome !== 'unchanged') counts[outcome]++;
    }
    return counts;
  }

  private async guarded<T>(database: string, call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (error) {
      if (isTransientAwsError(error)) throw error;
      throw new CatalogRegistrationError(database, awsErrorCode(error), { cause: error });
    }
  }

  private async ensureDatabase(glue: GlueClient, database: string, spec: TaskSpec): Promise<void> {
    try {
      await glue.send(new GetDatabaseCommand({ Name: database }));
      return;
    } catch (error) {
      if (!isMissing(error)) throw error;
    }
    try {
      await glue.send(
        new CreateDatabaseCommand({
          DatabaseInput: { Name: database, Description: `Tables exported by snapex from ${spec.sourceArn}` },
        }),
      );
    } catch (error) {
      // Another delivery of the same event created it meanwhile.
      if (awsErrorCode(error) !== 'AlreadyExistsException') throw error;
    }
  }

  private async ensureTable(
    glue: GlueClient,
    { database, input }: CatalogTable,
  ): Promise<'created' | 'updated' | 'unchanged'> {
    let existing: Table | undefined;
    try {
      existing = (await glue.send(new GetTableCommand({ DatabaseName: database, Name: input.Name }))).Table;
    } catch (error) {
      if (!isMissing(error)) throw error;
    }
    if (!existing) {
      await glue.send(new CreateTableCommand({ DatabaseName: database, TableInput: input }));
      return 'created';
    }
    if (sameRegistration(existing, input)) return 'unchanged';
    await glue.send(new UpdateTableCommand({ DatabaseName: database, TableInput: input }));
    return 'updated';
  }
}
