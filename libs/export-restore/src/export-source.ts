import { GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import {
  exportRootKey,
  ExportTablesInfoSchema,
  isExportTablesInfoKey,
  OriginalTypeMapping,
  splitTarget,
  tableKeyPrefix,
} from '@snapex/contracts';

/** One finished table of an export, as export_tables_info describes it. */
export interface ExportedTable {
  target: string;
  database: string;
  schema: string;
  table: string;
  rowCount: number;
  /** The table's folder: exportedFilesPath when the export names one, else the seed's folder. */
  folder: string;
  columns: OriginalTypeMapping[];
}

export class ExportNotFoundError extends Error {
  constructor(bucket: string, root: string) {
    super(
      `no export_tables_info file under s3://${bucket}/${root}/: is the export finished and the path right?`,
    );
    this.name = 'ExportNotFoundError';
  }
}

export interface ExportLocation {
  bucket: string;
  s3Prefix: string;
  exportTaskIdentifier: string;
}

/** An export's metadata and Parquet parts, read from its bucket. */
export class S3ExportSource {
  private listing: Promise<string[]> | undefined;

  constructor(
    private readonly s3: S3Client,
    readonly location: ExportLocation,
  ) {}

  /** The export's COMPLETE tables, from every export_tables_info file. */
  async tables(): Promise<ExportedTable[]> {
    const { bucket, s3Prefix, exportTaskIdentifier } = this.location;
    const root = exportRootKey(s3Prefix, exportTaskIdentifier);
    const infoKeys = (await this.keys()).filter((key) =>
      isExportTablesInfoKey(s3Prefix, exportTaskIdentifier, key),
    );
    if (infoKeys.length === 0) throw new ExportNotFoundError(bucket, root);
    const tables: ExportedTable[] = [];
    for (const key of infoKeys) {
      const info = ExportTablesInfoSchema.parse(
        JSON.parse(Buffer.from(await this.read(key)).toString('utf8')),
      );
      for (const entry of info.perTableStatus) {
        if (entry.status !== 'COMPLETE') continue;
        const names = splitTarget(entry.target);
        tables.push({
          target: entry.target,
          ...names,
          rowCount: entry.tableStatistics.rowCount,
          folder:
            entry.exportedFilesPath ??
            tableKeyPrefix(s3Prefix, exportTaskIdentifier, names.database, names.schema, names.table),
          columns: entry.schemaMetadata.originalTypeMappings,
        });
      }
    }
    return tables;
  }

  /** The Parquet parts of a table, in partition and file order. */
  async parts(table: ExportedTable): Promise<string[]> {
    const keys = (await this.keys()).filter((key) => key.startsWith(`${table.folder}/`));
    const part = /^(\d+)\/part-(\d+)-[^/]*\.parquet$/;
    return keys
      .map((key) => ({ key, match: part.exec(key.slice(table.folder.length + 1)) }))
      .filter((entry) => entry.match !== null)
      .sort((a, b) => Number(a.match![1]) - Number(b.match![1]) || Number(a.match![2]) - Number(b.match![2]))
      .map((entry) => entry.key);
  }

  async read(key: string): Promise<Uint8Array> {
    const { Body } = await this.s3.send(new GetObjectCommand({ Bucket: this.location.bucket, Key: key }));
    return Body!.transformToByteArray();
  }

  /**
   * Every key of the export, listed once: the prefix is the export's folder without its closing
   * slash (moto miscomputes the signature of a prefix that ends in one), the rest filtered here.
   */
  private keys(): Promise<string[]> {
    this.listing ??= this.list(
      `${exportRootKey(this.location.s3Prefix, this.location.exportTaskIdentifier)}/`,
    );
    return this.listing;
  }

  private async list(folder: string): Promise<string[]> {
    const keys: string[] = [];
    let token: string | undefined;
    do {
      const page = await this.s3.send(
        new ListObjectsV2Command({
          Bucket: this.location.bucket,
          Prefix: folder.slice(0, -1),
          ContinuationToken: token,
        }),
      );
      for (const object of page.Contents ?? []) if (object.Key!.startsWith(folder)) keys.push(object.Key!);
      token = page.NextContinuationToken;
    } while (token);
    return keys;
  }
}
