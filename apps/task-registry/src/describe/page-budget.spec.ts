import { ExportTask } from '@snapex/contracts';
import { tasksThatFit } from './page-budget';

function task(exportOnlyBytes: number): ExportTask {
  return {
    ExportTaskIdentifier: 'export',
    SourceArn: 'arn:aws:rds:us-east-1:123456789012:cluster:orders',
    ExportOnly: exportOnlyBytes > 0 ? ['d'.repeat(exportOnlyBytes)] : undefined,
    S3Bucket: 'bucket',
    S3Prefix: '',
    IamRoleArn: 'arn:aws:iam::123456789012:role/export',
    KmsKeyId: 'alias/export',
    Status: 'STARTING',
    PercentProgress: 0,
    TotalExtractedDataInGB: 0,
    SourceType: 'CLUSTER',
  };
}

describe('page budget', () => {
  it('keeps every small task', () => {
    expect(tasksThatFit(Array.from({ length: 100 }, () => task(0)))).toBe(100);
  });

  it('stops before the page outgrows the budget, keeping at least one task', () => {
    const big = Array.from({ length: 10 }, () => task(200 * 1024));
    expect(tasksThatFit(big)).toBe(2);
    expect(tasksThatFit([task(2 * 1024 * 1024)])).toBe(1);
  });
});
