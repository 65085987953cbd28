import { assumeRoleInput, exportRoleKey, exportRoleOf } from './export-role';

const TASK = {
  iamRoleArn: 'arn:aws:iam::123456789012:role/rds-s3-export-role',
  accountId: '210987654321',
  sourceArn: 'arn:aws:rds:us-east-1:210987654321:cluster:orders',
};

describe('the AssumeRole request of an export', () => {
  it("names the caller's account as ExternalId and tags the session with the caller and the source", () => {
    expect(assumeRoleInput(exportRoleOf(TASK), { name: 'snapex-export', seconds: 900 })).toEqual({
      RoleArn: TASK.iamRoleArn,
      RoleSessionName: 'snapex-export',
      DurationSeconds: 900,
      ExternalId: '210987654321',
      Tags: [
        { Key: 'snapex:SourceAccount', Value: '210987654321' },
        { Key: 'snapex:SourceArn', Value: TASK.sourceArn },
      ],
    });
  });

  it('keeps sessions of one role apart per account and per source', () => {
    const keys = [
      exportRoleOf(TASK),
      exportRoleOf({ ...TASK, accountId: '123456789012' }),
      exportRoleOf({ ...TASK, sourceArn: 'arn:aws:rds:us-east-1:210987654321:cluster:billing' }),
    ].map(exportRoleKey);
    expect(new Set(keys).size).toBe(3);
    expect(exportRoleKey(exportRoleOf({ ...TASK }))).toBe(keys[0]);
  });
});
