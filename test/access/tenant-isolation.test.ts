import { FailureMessages } from '@snapex/contracts';
import { recreateDatabase, withPg } from '../../scripts/local-stack/databases';
import { createExportTarget, ExportTarget } from '../../scripts/local-stack/export-target';
import { MOTO_ACCOUNT } from '../../scripts/local-stack/moto';
import { listObjects } from '../../scripts/local-stack/readback';
import { API_KEY, OTHER_ACCOUNT, OTHER_API_KEY } from '../../scripts/local-stack/stack';
import { AccessStack, dumpLogs, parquetKeys, publishedSubjects, startAccessStack } from './access-stack';

const SOURCE_DB = 'snapex_tenant_orders';
/** Account A owns the role, key and bucket (moto's account); it trusts TRUSTED, not OTHER_ACCOUNT. */
const OWNER = MOTO_ACCOUNT;
const TRUSTED = '345678901234';
const TRUSTED_API_KEY = 'tenant-api-key-account-three-03';
const ENDED = ['COMPLETE', 'FAILED', 'CANCELED'];

/** Every AssumeRole moto granted for the role, with the ExternalId it was asked with (moto's own record). */
async function externalIdsSeenByMoto(endpoint: string, roleArn: string): Promise<string[]> {
  const data = (await (await fetch(`${endpoint}/moto-api/data.json`)).json()) as any;
  return (data.sts?.AssumedRole ?? [])
    .filter((role: any) => role.role_arn === roleArn)
    .map((role: any) => role.external_id);
}

describe("one account cannot have snapex write with another's role, key and bucket (moto with IAM enforcement)", () => {
  let access: AccessStack;
  let owner: ExportTarget;
  let identifierNumber = 0;

  beforeAll(async () => {
    const url = await recreateDatabase(SOURCE_DB);
    await withPg(url, (client) =>
      client.query(
        'CREATE TABLE public.orders AS SELECT i AS id, md5(i::text) AS note FROM generate_series(1, 500) i',
      ),
    );
    const source = { name: 'orders', url, databases: [SOURCE_DB] };
    access = await startAccessStack({
      name: 'tenant-isolation',
      sources: [source, { ...source, accountId: OTHER_ACCOUNT }, { ...source, accountId: TRUSTED }],
      config: {
        accounts: [
          { id: OWNER, apiKeys: [API_KEY], trustedAccounts: [TRUSTED] },
          { id: OTHER_ACCOUNT, apiKeys: [OTHER_API_KEY] },
          { id: TRUSTED, apiKeys: [TRUSTED_API_KEY] },
        ],
      },
    });
    // The role's trust policy is the one README.md gives: sts:ExternalId must be the owner's account.
    owner = await createExportTarget(access.moto, 'tenant-owner');
  });

  afterAll(async () => {
    await access?.stop();
  });

  afterEach(() => {
    const state = expect.getState();
    if (state.assertionCalls !== state.numPassingAsserts) dumpLogs(access.stack);
  });

  function start(apiKey: string, account: string, overrides: Record<string, unknown> = {}) {
    identifierNumber += 1;
    const identifier = `tenant-${identifierNumber}-${Date.now()}`;
    const request = {
      ExportTaskIdentifier: identifier,
      SourceArn: access.stack.clusterArn('orders', account),
      S3BucketName: owner.bucket,
      IamRoleArn: owner.roleArn,
      KmsKeyId: owner.kmsKeyArn,
      ...overrides,
    };
    return { identifier, response: access.stack.api('/v1/StartExportTask', request, apiKey) };
  }

  /** The whole bucket, not only the export's folder: nothing may land anywhere in it. */
  async function ownerBucketKeys(): Promise<string[]> {
    return (await listObjects(access.s3, owner.bucket, '')).map((object) => object.key);
  }

  async function expectNoTask(apiKey: string, identifier: string): Promise<void> {
    const described = await access.stack.api(
      '/v1/DescribeExportTasks',
      { ExportTaskIdentifier: identifier },
      apiKey,
    );
    expect(described.body.Error?.Code).toBe('ExportTaskNotFound');
  }

  it("refuses at once an export naming another account's role, key and bucket (400), and records no task", async () => {
    const { identifier, response } = start(OTHER_API_KEY, OTHER_ACCOUNT);
    const refused = await response;
    expect(refused.status).toBe(400);
    expect(refused.body.Error).toEqual({
      Type: 'Sender',
      Code: 'IamRoleMissingPermissions',
      Message: `The IAM role ${owner.roleArn} belongs to account ${OWNER}, which does not allow account ${OTHER_ACCOUNT} to export with its roles. Use a role of your own account.`,
    });
    await expectNoTask(OTHER_API_KEY, identifier);
    expect(await ownerBucketKeys()).toEqual([]);
  });

  it("refuses at once another account's KMS key, even with a role of the caller's own (400)", async () => {
    const { identifier, response } = start(OTHER_API_KEY, OTHER_ACCOUNT, {
      IamRoleArn: `arn:aws:iam::${OTHER_ACCOUNT}:role/rds-s3-export-role`,
    });
    const refused = await response;
    expect(refused.status).toBe(400);
    expect(refused.body.Error.Code).toBe('KMSKeyNotAccessibleFault');
    expect(refused.body.Error.Message).toContain(
      `The KMS key ${owner.kmsKeyArn} belongs to account ${OWNER}`,
    );
    await expectNoTask(OTHER_API_KEY, identifier);
  });

  it("lets a trusted account start, but the role's ExternalId condition fails it before anything is written", async () => {
    const { identifier, response } = start(TRUSTED_API_KEY, TRUSTED);
    expect((await response).status).toBe(200);
    const { body } = await access.stack.api(
      '/v1/DescribeExportTasks',
      { ExportTaskIdentifier: identifier },
      TRUSTED_API_KEY,
    );
    expect(body.ExportTasks[0].IamRoleArn).toBe(owner.roleArn);
    const task = await access.stack.waitForStatus(identifier, ENDED, 90_000, TRUSTED_API_KEY);
    expect({ Status: task.Status, FailureCause: task.FailureCause }).toEqual({
      Status: 'FAILED',
      FailureCause: FailureMessages.cannotAssumeRole(owner.roleArn),
    });
    const subjects = await publishedSubjects(identifier);
    expect(subjects).toContain('snapex.export.task.failed.v1');
    expect(subjects).not.toContain('snapex.export.credentials.validated.v1');
    expect(await ownerBucketKeys()).toEqual([]);
    expect(await externalIdsSeenByMoto(access.moto.endpoint, owner.roleArn)).toEqual([]);
  });

  it('exports for the account the role trusts, through the same role: the condition is what refused the other', async () => {
    const { identifier, response } = start(API_KEY, OWNER);
    expect((await response).status).toBe(200);
    const task = await access.stack.waitForStatus(identifier, ENDED, 90_000);
    expect({ Status: task.Status, FailureCause: task.FailureCause }).toEqual({ Status: 'COMPLETE' });
    const keys = await ownerBucketKeys();
    expect(parquetKeys(keys).length).toBeGreaterThan(0);
    expect(keys.every((key) => key.startsWith(`${identifier}/`))).toBe(true);
    const externalIds = await externalIdsSeenByMoto(access.moto.endpoint, owner.roleArn);
    expect(externalIds.length).toBeGreaterThan(0);
    expect(new Set(externalIds)).toEqual(new Set([OWNER]));
  });
});
