import { KeyMetadata } from '@aws-sdk/client-kms';
import { ExportRole } from '@snapex/aws';
import { RetryableError } from '@snapex/bus';
import { parseConfig } from '@snapex/config';
import { FailureMessages, TaskSpec } from '@snapex/contracts';
import pino from 'pino';
import { AccessProbeRepository, ObjectEncryption } from './access-probe.repository';
import { probeObjectKey, ValidateExportAccess } from './validate-export-access.use-case';

const ROLE = 'arn:aws:iam::123456789012:role/export';
const BUCKET = 'exports-bucket';
const KEY_ARN = 'arn:aws:kms:us-east-1:123456789012:key/0b0e5ce7-5a1e-4c7e-9d1e-2f0a3c4b5d6e';

const SPEC = {
  taskId: '7f9d4a52-0c1e-4f3a-9b1d-2a6c8e0f4b11',
  accountId: '123456789012',
  exportTaskIdentifier: 'daily',
  sourceArn: 'arn:aws:rds:us-east-1:123456789012:cluster:main',
  sourceType: 'CLUSTER',
  sourceName: 'main',
  engine: 'postgres',
  s3Bucket: BUCKET,
  s3Prefix: 'exports',
  iamRoleArn: ROLE,
  kmsKeyId: KEY_ARN,
  exportOnly: [],
} as unknown as TaskSpec;

const CONFIG = parseConfig({ region: 'us-east-1', accounts: [{ id: '123456789012' }] });

function refusal(status: number, name: string, message = '') {
  return Object.assign(new Error(message), { name, $metadata: { httpStatusCode: status } });
}

/** The bucket, key and role as AWS would answer for them; each test breaks one thing. */
class FakeAccount {
  calls: string[] = [];
  assumed: ExportRole[] = [];
  failures: Partial<Record<string, Error>> = {};
  region = 'us-east-1';
  key: KeyMetadata = {
    KeyId: '0b0e5ce7-5a1e-4c7e-9d1e-2f0a3c4b5d6e',
    Arn: KEY_ARN,
    Enabled: true,
    KeyState: 'Enabled',
    KeySpec: 'SYMMETRIC_DEFAULT',
    KeyUsage: 'ENCRYPT_DECRYPT',
  };
  encryption: ObjectEncryption = { algorithm: 'aws:kms', kmsKeyId: KEY_ARN };
  stored = new Map<string, string>();

  private async call<T>(name: string, result: () => T): Promise<T> {
    this.calls.push(name);
    const failure = this.failures[name];
    if (failure) throw failure;
    return result();
  }

  repository(): AccessProbeRepository {
    return {
      assumeRole: (role: ExportRole) => this.call('assumeRole', () => void this.assumed.push(role)),
      bucketRegion: () => this.call('bucketRegion', () => this.region),
      describeKey: () => this.call('describeKey', () => this.key),
      roundTripDataKey: () => this.call('roundTripDataKey', () => true),
      roundTripEncrypt: () => this.call('roundTripEncrypt', () => true),
      putObject: (_role: ExportRole, _bucket: string, key: string, _kms: string, body: string) =>
        this.call('putObject', () => void this.stored.set(key, body)),
      encryptionOf: () => this.call('encryptionOf', () => this.encryption),
      getObject: (_role: ExportRole, _bucket: string, key: string) =>
        this.call('getObject', () => this.stored.get(key) ?? ''),
      listOneObject: () => this.call('listOneObject', () => undefined),
      deleteObject: (_role: ExportRole, _bucket: string, key: string) =>
        this.call('deleteObject', () => void this.stored.delete(key)),
      forgetRole: () => undefined,
    } as unknown as AccessProbeRepository;
  }
}

describe("validating an export's access", () => {
  let account: FakeAccount;
  const validate = () =>
    new ValidateExportAccess(account.repository(), CONFIG, pino({ level: 'silent' })).execute(SPEC);
  const refusedWith = (failureCause: string) =>
    expect(validate()).resolves.toEqual({ ok: false, failureCause });

  beforeEach(() => {
    account = new FakeAccount();
  });

  it('passes when every check passes, and leaves no probe object behind', async () => {
    await expect(validate()).resolves.toEqual({ ok: true });
    expect(account.calls).toEqual([
      'assumeRole',
      'bucketRegion',
      'describeKey',
      'roundTripDataKey',
      'roundTripEncrypt',
      'putObject',
      'encryptionOf',
      'getObject',
      'listOneObject',
      'deleteObject',
    ]);
    expect(account.stored.size).toBe(0);
    expect(probeObjectKey(SPEC)).toBe(`exports/daily/.snapex-access-probe-${SPEC.taskId}`);
  });

  it('assumes the role for the account that started the export and for its source', async () => {
    await validate();
    expect(account.assumed).toEqual([
      { roleArn: ROLE, callerAccountId: SPEC.accountId, sourceArn: SPEC.sourceArn },
    ]);
  });

  it('cannot assume the role', async () => {
    account.failures.assumeRole = refusal(403, 'AccessDenied');
    await refusedWith(FailureMessages.cannotAssumeRole(ROLE));
  });

  it('no such bucket, or a bucket in another region', async () => {
    account.failures.bucketRegion = refusal(404, 'NoSuchBucket');
    await refusedWith(FailureMessages.bucketInvalid(BUCKET));
    account = new FakeAccount();
    account.region = 'eu-west-1';
    await refusedWith(FailureMessages.bucketWrongRegion(BUCKET));
    account = new FakeAccount();
    account.failures.bucketRegion = refusal(301, 'PermanentRedirect');
    await refusedWith(FailureMessages.bucketWrongRegion(BUCKET));
  });

  it.each([
    ['bucketRegion', 's3:GetBucketLocation'],
    ['putObject', 's3:PutObject'],
    ['encryptionOf', 's3:GetObject'],
    ['getObject', 's3:GetObject'],
    ['listOneObject', 's3:ListBucket'],
    ['deleteObject', 's3:DeleteObject'],
  ])('%s denied names %s', async (call, action) => {
    account.failures[call] = refusal(403, 'AccessDenied', 'Access Denied');
    await refusedWith(FailureMessages.roleNotAuthorized(ROLE, action, BUCKET));
  });

  it('removes the probe when a later step is refused', async () => {
    account.failures.listOneObject = refusal(403, 'AccessDenied');
    await validate();
    expect(account.stored.size).toBe(0);
  });

  it.each<[string, Partial<KeyMetadata>]>([
    ['disabled', { Enabled: false, KeyState: 'Disabled' }],
    ['pending deletion', { Enabled: false, KeyState: 'PendingDeletion' }],
    ['asymmetric', { KeySpec: 'RSA_2048' }],
  ])('a %s key fails the KMS check', async (_state, change) => {
    account.key = { ...account.key, ...change };
    await refusedWith(FailureMessages.kmsCheckFailed());
  });

  it.each(['describeKey', 'roundTripDataKey', 'roundTripEncrypt'])(
    '%s refused fails the KMS check',
    async (call) => {
      account.failures[call] = refusal(400, 'NotFoundException');
      await refusedWith(FailureMessages.kmsCheckFailed());
    },
  );

  it('a probe the store did not encrypt with the key fails the KMS check', async () => {
    account.encryption = { algorithm: 'AES256', kmsKeyId: undefined };
    await refusedWith(FailureMessages.kmsCheckFailed());
  });

  it('a probe write the key refuses is a metadata write failure naming the code', async () => {
    account.failures.putObject = refusal(400, 'KMS.DisabledException');
    await refusedWith(FailureMessages.metadataWriteDenied(BUCKET, ROLE, KEY_ARN, 'KMS.DisabledException'));
  });

  it('any other S3 refusal fails the S3 check', async () => {
    account.failures.putObject = refusal(403, 'QuotaExceeded');
    await refusedWith(FailureMessages.s3CheckFailed());
  });

  it('retries later on a transient failure', async () => {
    account.failures.describeKey = refusal(503, 'ServiceUnavailable');
    await expect(validate()).rejects.toBeInstanceOf(RetryableError);
  });
});
