import { nulledValuesMessage, perTableStatus, TableReport, TaskSpec } from '@snapex/contracts';
import { exportInfo, ExportReport, movedFolder, tableChunks, wholeGb } from './export-metadata';

const table = (index: number, status: TableReport['status'] = 'COMPLETE'): TableReport => ({
  table: { tableIndex: index, database: 'db', schema: 'public', table: `t${index}` },
  target: `db.public.t${index}`,
  tableKeyPrefix: `x/db/public.t${index}`,
  status,
  skipReason: status === 'SKIPPED' ? 'PERMISSIONS_DO_NOT_EXIST' : null,
  skipDetail: null,
  columns: [
    {
      name: 'created_on',
      originalType: 'timestamp with time zone',
      decoder: 'text',
      parquetType: 'STRING',
      expectedExportedType: 'binary (UTF8)',
      originalCharMaxLength: 0,
      originalNumPrecision: 0,
      originalDateTimePrecision: 6,
    },
  ],
  partitioning: { numberOfPartitions: 1, constraintType: 'NONE', partitionColumns: [] },
  singleWorkerReason: null,
  numberOfCompletedPartitions: 1,
  rowCount: 10,
  bytes: 2 * 1024 ** 3 + 5,
  extractionStartTime: '2026-01-01T00:00:00.000Z',
  extractionEndTime: '2026-01-01T00:00:01.000Z',
  objectKeys: [],
  nulledValues: [],
});

describe('metadata files', () => {
  it('reports whole GB in export_info, as RDS does', () => {
    expect(wholeGb(1024 ** 3 - 1)).toBe(0);
    expect(wholeGb(3 * 1024 ** 3)).toBe(3);
  });

  it('writes export_info with the keys RDS writes', () => {
    const report = {
      spec: {
        taskId: '00000000-0000-4000-8000-000000000000',
        accountId: '123456789012',
        exportTaskIdentifier: 'x',
        sourceArn: 'arn:aws:rds:us-east-1:123456789012:cluster:c',
        sourceType: 'CLUSTER',
        sourceName: 'c',
        engine: 'postgres',
        s3Bucket: 'b',
        s3Prefix: 'p q',
        iamRoleArn: 'arn:aws:iam::123456789012:role/r',
        kmsKeyId: 'k',
        exportOnly: [],
      },
      task: { ExportTime: '2026-01-01T00:00:00.000Z', TaskStartTime: '2026-01-01T00:00:00.000Z' },
      totalBytes: 5 * 1024 ** 3,
      tables: [],
    } as unknown as ExportReport;
    expect(Object.keys(exportInfo(report, '2026-01-02T00:00:00.000Z'))).toEqual(
      expect.arrayContaining([
        'exportTaskIdentifier',
        'sourceArn',
        'exportOnly',
        'snapshotTime',
        'taskStartTime',
        'taskEndTime',
        's3Bucket',
        's3Prefix',
        'exportedFilesPath',
        'iamRoleArn',
        'kmsKeyId',
        'status',
        'percentProgress',
        'totalExportedDataInGB',
      ]),
    );
    expect(exportInfo(report, 'end')).toMatchObject({ exportedFilesPath: 'p_q/x', totalExportedDataInGB: 5 });
  });

  it('describes a table with partitioning and original types, and a skipped one with its warning', () => {
    const entry = perTableStatus(table(0));
    expect(entry).toMatchObject({
      target: 'db.public.t0',
      status: 'COMPLETE',
      tableStatistics: { partitioningInfo: { numberOfPartitions: 1, numberOfCompletedPartitions: 1 } },
      schemaMetadata: {
        originalTypeMappings: [{ columnName: 'created_on', expectedExportedType: 'binary (UTF8)' }],
      },
    });
    expect(perTableStatus(table(1, 'SKIPPED'))).toMatchObject({ warningMessage: 'PERMISSIONS_DO_NOT_EXIST' });
    expect(entry.tableStatistics.partitioningInfo).not.toHaveProperty('singleWorkerReason');
  });

  it('says why a table large enough to cut was read by one worker', () => {
    const entry = perTableStatus({ ...table(0), singleWorkerReason: 'NO_PARTITION_KEY' });
    expect(entry.tableStatistics.partitioningInfo).toEqual({
      numberOfPartitions: 1,
      constraintType: 'NONE',
      partitionColumns: [],
      numberOfCompletedPartitions: 1,
      singleWorkerReason: 'NO_PARTITION_KEY',
    });
  });

  it('names the folder of a table moved out of the seed folder it shares, and no other', () => {
    const spec = { s3Prefix: '', exportTaskIdentifier: 'x' } as TaskSpec;
    expect(movedFolder(spec, table(0))).toEqual({});
    expect(movedFolder(spec, { ...table(1), tableKeyPrefix: 'x/db/public.t1__2' })).toEqual({
      exportedFilesPath: 'x/db/public.t1__2',
    });
    expect(movedFolder(spec, { ...table(2, 'SKIPPED'), tableKeyPrefix: null })).toEqual({});
  });

  it('says of a table how many values of which columns were exported as NULL, and nothing when none were', () => {
    const nulledValues = [{ column: 'created_on', reason: 'NO_INSTANT' as const, count: 2 }];
    expect(perTableStatus({ ...table(0), nulledValues })).toMatchObject({
      status: 'COMPLETE',
      warningMessage: nulledValuesMessage(nulledValues),
      nulledValues: [{ columnName: 'created_on', reason: 'NO_INSTANT', count: 2 }],
    });
    expect(Object.keys(perTableStatus(table(0)))).not.toContain('nulledValues');
    expect(Object.keys(perTableStatus(table(0)))).not.toContain('warningMessage');
  });

  it('splits tables into numbered files', () => {
    const chunks = tableChunks(
      [0, 1, 2, 3, 4].map((index) => table(index)),
      2,
    );
    expect(chunks.map(({ from, to }) => [from, to])).toEqual([
      [0, 1],
      [2, 3],
      [4, 4],
    ]);
  });
});
