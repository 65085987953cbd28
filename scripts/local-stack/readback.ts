import { GetObjectCommand, HeadObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

export interface BucketObject {
  key: string;
  size: number;
}

/**
 * Lists the whole bucket and filters here: moto 5 miscomputes the signature of a ListObjectsV2
 * request whose prefix contains "/" (it canonicalizes the decoded query), so no Prefix is sent.
 */
export async function listObjects(s3: S3Client, bucket: string, prefix = ''): Promise<BucketObject[]> {
  const objects: BucketObject[] = [];
  let token: string | undefined;
  do {
    const page = await s3.send(new ListObjectsV2Command({ Bucket: bucket, ContinuationToken: token }));
    for (const object of page.Contents ?? []) {
      if (object.Key!.startsWith(prefix)) objects.push({ key: object.Key!, size: object.Size ?? 0 });
    }
    token = page.NextContinuationToken;
  } while (token);
  return objects;
}

export async function getText(s3: S3Client, bucket: string, key: string): Promise<string> {
  const { Body } = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  return (await Body?.transformToString()) ?? '';
}

export async function encryptionOf(s3: S3Client, bucket: string, key: string) {
  const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
  return { sse: head.ServerSideEncryption, keyId: head.SSEKMSKeyId };
}

/** Copies every object under the prefix to a local folder, keeping the keys as paths. */
export async function downloadPrefix(
  s3: S3Client,
  bucket: string,
  prefix: string,
): Promise<{ dir: string; keys: string[] }> {
  const dir = mkdtempSync(join(tmpdir(), 'snapex-readback-'));
  const keys: string[] = [];
  for (const object of await listObjects(s3, bucket, prefix)) {
    const { Body } = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: object.key }));
    const path = join(dir, object.key);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, Buffer.from(await Body!.transformToByteArray()));
    keys.push(object.key);
  }
  return { dir, keys };
}

/** DuckDB as the independent Parquet reader. */
export class ParquetReader {
  private constructor(private readonly connection: DuckDBConnection) {}

  static async open(): Promise<ParquetReader> {
    const instance = await DuckDBInstance.create(':memory:');
    return new ParquetReader(await instance.connect());
  }

  async rows(sql: string): Promise<Record<string, unknown>[]> {
    const reader = await this.connection.runAndReadAll(sql);
    return reader.getRowObjectsJS() as Record<string, unknown>[];
  }

  /** Physical type, converted type and logical type of every leaf column. */
  async schema(
    file: string,
  ): Promise<Record<string, { type: string; convertedType: string | null; logicalType: string | null }>> {
    const rows = await this.rows(
      `SELECT name, type, converted_type, logical_type FROM parquet_schema(${quote(file)}) WHERE num_children IS NULL OR num_children = 0`,
    );
    return Object.fromEntries(
      rows.map((row) => [
        row.name as string,
        {
          type: row.type as string,
          convertedType: (row.converted_type as string | null) ?? null,
          logicalType: (row.logical_type as string | null) ?? null,
        },
      ]),
    );
  }

  async codecs(file: string): Promise<string[]> {
    const rows = await this.rows(`SELECT DISTINCT compression FROM parquet_metadata(${quote(file)})`);
    return rows.map((row) => String(row.compression));
  }
}

export function quote(text: string): string {
  return `'${text.replace(/'/g, "''")}'`;
}

export function parquetList(files: string[]): string {
  return `[${files.map(quote).join(', ')}]`;
}
