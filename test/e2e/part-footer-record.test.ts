import { PutObjectCommand } from '@aws-sdk/client-s3';
import { AwsClients, exportRoleOf } from '@snapex/aws';
import { FOOTER_PROBE_BYTES, openParquetPart, openParquetWasmPart } from '@snapex/parquet';
import { PartFile } from '../../apps/table-extractor/src/part-file';
import { PartSeries } from '../../apps/table-extractor/src/part-series';
import { PartTarget, S3PartStorage } from '../../apps/table-extractor/src/part-upload';
import { finishedFiles } from '../../apps/table-extractor/src/partition-record';
import { adminClients, createExportTarget, ExportTarget } from '../../scripts/local-stack/export-target';
import { MOTO_ACCOUNT, MOTO_REGION, MotoServer, startMoto } from '../../scripts/local-stack/moto';
import { BIGINT_ID_COLUMN, motoConfig } from '../support/fixtures';

const COLUMNS = [BIGINT_ID_COLUMN];

const watch = { signal: new AbortController().signal, progressed: () => undefined };

/** The extractor's part storage against moto, through the export role, as the service runs it. */
describe('part files recording a finished partition in their footers, on S3', () => {
  let moto: MotoServer;
  let target: ExportTarget;
  let storage: S3PartStorage;

  beforeAll(async () => {
    moto = await startMoto();
    target = await createExportTarget(moto, 'part-footer-record');
    const config = motoConfig(moto, target.service);
    storage = new S3PartStorage(new AwsClients(config), config);
  });

  afterAll(async () => {
    await moto?.stop();
  });

  function targetOf(prefix: string, fileIndex: number): PartTarget {
    return {
      bucket: target.bucket,
      key: `${prefix}/part-${String(fileIndex).padStart(5, '0')}.gz.parquet`,
      role: exportRoleOf({
        iamRoleArn: target.roleArn,
        accountId: MOTO_ACCOUNT,
        sourceArn: `arn:aws:rds:${MOTO_REGION}:${MOTO_ACCOUNT}:cluster:footer`,
      }),
      kmsKeyId: target.kmsKeyArn,
    };
  }

  it('reads back a finished partition from the objects’ footers, with their sizes and row counts', async () => {
    // parquetjs counts a row group's bytes as it writes them: every batch fills a file.
    const series = new PartSeries(
      (fileIndex) =>
        new PartFile(
          storage,
          openParquetPart,
          targetOf('whole', fileIndex),
          COLUMNS,
          { rowGroupRows: 500 },
          watch,
        ),
      1,
    );
    for (let from = 0; from < 3000; from += 1000)
      await series.append(Array.from({ length: 1000 }, (_, index) => [BigInt(from + index)]));
    const written = await series.finish();
    expect(written.map((part) => part.rows)).toEqual([1000, 1000, 1000]);

    expect(await finishedFiles((fileIndex) => storage.footerOf(targetOf('whole', fileIndex)))).toEqual({
      parts: written,
      nulledValues: [],
    });
  });

  it('reads a footer longer than the first ranged read, and finds no footer where there is no object', async () => {
    const file = new PartFile(
      storage,
      openParquetWasmPart,
      targetOf('long', 0),
      COLUMNS,
      { rowGroupRows: 500 },
      watch,
    );
    await file.append([[1n], [2n]]);
    const long = 'x'.repeat(FOOTER_PROBE_BYTES);
    const part = await file.finish({ 'snapex.test.long': long });

    const stored = await storage.footerOf(targetOf('long', 0));
    expect(stored).toMatchObject({ key: part!.key, bytes: part!.bytes, footer: { rows: 2 } });
    expect(stored!.footer.entries.get('snapex.test.long')).toBe(long);
    expect(await storage.footerOf(targetOf('long', 1))).toBeNull();
  });

  it('refuses an object that is not a Parquet file rather than take it for one', async () => {
    const key = targetOf('other', 0).key;
    await adminClients(moto).s3.send(
      new PutObjectCommand({ Bucket: target.bucket, Key: key, Body: 'not parquet' }),
    );
    await expect(storage.footerOf(targetOf('other', 0))).rejects.toThrow(/Parquet footer/);
  });
});
