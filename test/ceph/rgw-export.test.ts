import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { FailureMessages } from '@snapex/contracts';
import { recreateDatabase, withPg } from '../../scripts/local-stack/databases';
import { encryptionOf, getText, listObjects } from '../../scripts/local-stack/readback';
import { API_KEY, OTHER_ACCOUNT, OTHER_API_KEY, Stack } from '../../scripts/local-stack/stack';
import {
  dumpLogs,
  objectKeysOf,
  parquetKeys,
  pauseService,
  publishedSubjects,
  resumeService,
  startExport,
  waitForEvent,
} from '../access/access-stack';
import { KmsEndpoint, startKmsEndpoint } from './kms-endpoint';
import { createRgwExportTarget, missingCephTools, Rgw, RgwExportTarget } from './rgw';

const SOURCE_DB = 'snapex_rgw_orders';
/** An account the RGW tenant's account trusts by configuration; OTHER_ACCOUNT it does not. */
const TRUSTED = '345678901234';
const TRUSTED_API_KEY = 'rgw-api-key-account-three-0003';
const PARQUET_MAGIC = Buffer.from('PAR1');

async function getBytes(s3: S3Client, bucket: string, key: string): Promise<Buffer> {
  const { Body } = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  return Buffer.from(await Body!.transformToByteArray());
}

const missing = missingCephTools();
if (missing.length > 0) {
  process.stderr.write(
    `Skipping the Ceph RGW suite: ${missing.join(', ')} not installed (run deploy/ceph/install.sh as root).\n`,
  );
}
const describeWithRgw = missing.length === 0 ? describe : describe.skip;

describeWithRgw('export to Ceph RGW: S3 and STS of a real object store, SSE-KMS at rest', () => {
  let kms: KmsEndpoint;
  let rgw: Rgw;
  let stack: Stack;
  let exportKey: string;
  let keyRgwDoesNotHave: string;
  let sourceArn: string;
  let caseNumber = 0;

  beforeAll(async () => {
    kms = await startKmsEndpoint();
    const registered = await kms.createKey();
    keyRgwDoesNotHave = (await kms.createKey()).arn;
    exportKey = registered.arn;
    rgw = await Rgw.start({ [registered.arn]: registered.material });
    const url = await recreateDatabase(SOURCE_DB);
    await withPg(url, async (client) => {
      await client.query(
        "CREATE TABLE public.orders AS SELECT i AS id, 'order ' || i AS note FROM generate_series(1, 5000) i",
      );
      await client.query(
        'CREATE TABLE public.customers AS SELECT i AS id, md5(i::text) AS name FROM generate_series(1, 500) i',
      );
    });
    const source = { name: 'orders', url, databases: [SOURCE_DB] };
    stack = await Stack.start({
      name: 'rgw-export',
      sources: [source, { ...source, accountId: OTHER_ACCOUNT }, { ...source, accountId: TRUSTED }],
      config: {
        accounts: [
          { id: rgw.account, apiKeys: [API_KEY], trustedAccounts: [TRUSTED] },
          { id: OTHER_ACCOUNT, apiKeys: [OTHER_API_KEY] },
          { id: TRUSTED, apiKeys: [TRUSTED_API_KEY] },
        ],
        aws: {
          endpoint: rgw.endpoint,
          endpoints: { kms: kms.endpoint },
          forcePathStyle: true,
          serviceCredentials: {
            accessKeyId: rgw.service.accessKeyId,
            secretAccessKey: rgw.service.secretAccessKey,
          },
          roleSessionSeconds: 900,
          keyRecheckSeconds: 1,
        },
      },
    });
    sourceArn = stack.clusterArn('orders');
  });

  afterAll(async () => {
    await stack?.stop();
    await rgw?.stop();
    await kms?.stop();
  });

  afterEach(() => {
    const state = expect.getState();
    if (stack && state.assertionCalls !== state.numPassingAsserts) dumpLogs(stack);
  });

  function target(
    options: { trustedPrincipal?: string; kmsKeyArn?: string; requiredExternalId?: string } = {},
  ): Promise<RgwExportTarget> {
    caseNumber += 1;
    return createRgwExportTarget(rgw, `rgw${caseNumber}`, options.kmsKeyArn ?? exportKey, options);
  }

  async function exportTo(destination: RgwExportTarget): Promise<any> {
    const identifier = `rgw-${caseNumber}-${Date.now()}`;
    await startExport(stack, { identifier, sourceArn, target: destination });
    return stack.waitForStatus(identifier, ['COMPLETE', 'FAILED', 'CANCELED'], 120_000);
  }

  async function expectFailedBeforeAnyData(
    destination: RgwExportTarget,
    failureCause: string,
  ): Promise<void> {
    const task = await exportTo(destination);
    expect({ Status: task.Status, FailureCause: task.FailureCause }).toEqual({
      Status: 'FAILED',
      FailureCause: failureCause,
    });
    const { s3 } = rgw.clients();
    expect(parquetKeys(await objectKeysOf(s3, destination.bucket, task.ExportTaskIdentifier))).toEqual([]);
    const subjects = await publishedSubjects(task.ExportTaskIdentifier);
    expect(subjects).toContain('snapex.export.task.failed.v1');
    expect(subjects).not.toContain('snapex.export.credentials.validated.v1');
  }

  it('exports through a role assumed with RGW STS, every object encrypted at rest with the task key', async () => {
    const destination = await target();
    const task = await exportTo(destination);
    expect({ Status: task.Status, FailureCause: task.FailureCause }).toEqual({ Status: 'COMPLETE' });
    const { s3 } = rgw.clients();
    const keys = await objectKeysOf(s3, destination.bucket, task.ExportTaskIdentifier);
    expect(parquetKeys(keys).length).toBeGreaterThanOrEqual(2);
    expect(keys.filter((key) => key.endsWith('/_SUCCESS'))).toHaveLength(2);
    expect(keys.filter((key) => key.includes('export_info_'))).toHaveLength(1);
    expect(keys.filter((key) => key.includes('.snapex-access-probe-'))).toEqual([]);

    // Objects belong to the role that wrote them, as RGW keeps S3's object ownership: read them as the role.
    const asRole = await rgw.s3AsRole(destination.roleArn);
    const stored = await rgw.storedObjects(keys);
    for (const key of keys) {
      expect({ key, ...(await encryptionOf(asRole, destination.bucket, key)) }).toEqual({
        key,
        sse: 'aws:kms',
        keyId: exportKey,
      });
      const heads = stored.get(key)!.map((head) => ({ key, mode: head.cryptMode, keyId: head.cryptKeyId }));
      expect(heads).toEqual([{ key, mode: 'SSE-KMS', keyId: exportKey }]);
    }

    // What S3 returns is the file; what sits on the OSD is not: the Parquet magic number that opens and
    // closes every part file, and the task identifier in export_info, appear only in the former.
    const [part] = parquetKeys(keys);
    const partBytes = await getBytes(asRole, destination.bucket, part);
    expect(partBytes.subarray(0, 4)).toEqual(PARQUET_MAGIC);
    expect(partBytes.subarray(-4)).toEqual(PARQUET_MAGIC);
    const [storedPart] = stored.get(part)!;
    expect(storedPart.bytes.length).toBeGreaterThanOrEqual(partBytes.length);
    expect(storedPart.bytes.includes(PARQUET_MAGIC)).toBe(false);
    const infoKey = keys.find((key) => key.includes('export_info_'))!;
    expect(await getText(asRole, destination.bucket, infoKey)).toContain(task.ExportTaskIdentifier);
    const [storedInfo] = stored.get(infoKey)!;
    expect(storedInfo.bytes.includes(Buffer.from(task.ExportTaskIdentifier))).toBe(false);

    // The same bytes written without SSE are visible on the OSD: the raw read would have seen plaintext.
    const controlKey = `control/${task.ExportTaskIdentifier}.gz.parquet`;
    await s3.send(new PutObjectCommand({ Bucket: destination.bucket, Key: controlKey, Body: partBytes }));
    const [storedControl] = (await rgw.storedObjects([controlKey])).get(controlKey)!;
    expect(storedControl.cryptMode).toBeNull();
    expect(storedControl.bytes.includes(PARQUET_MAGIC)).toBe(true);
  });

  it('fails with "… because it can\'t assume the IAM role …" when the trust policy names another principal', async () => {
    const untrusting = await target({ trustedPrincipal: `arn:aws:iam::${rgw.account}:user/someone-else` });
    await expectFailedBeforeAnyData(untrusting, FailureMessages.cannotAssumeRole(untrusting.roleArn));
  });

  it('fails with "… failed to write the export task\'s metadata to the S3 bucket … Error code: …" when the store cannot get the key', async () => {
    // KMS knows the key and lets the role use it; the object store has no such key to encrypt with.
    const destination = await target({ kmsKeyArn: keyRgwDoesNotHave });
    await expectFailedBeforeAnyData(
      destination,
      `The RDS export failed to write the export task's metadata to the S3 bucket ${destination.bucket} using the IAM role ${destination.roleArn} with the KMS key ${keyRgwDoesNotHave}. Error code: InvalidAccessKeyId`,
    );
  });

  it('fails with "S3 credential check failed…" when the bucket refuses a write for a reason other than access (its quota is used up)', async () => {
    const destination = await target();
    const { s3 } = rgw.clients();
    await s3.send(new PutObjectCommand({ Bucket: destination.bucket, Key: 'already-here', Body: 'x' }));
    await rgw.limitBucketObjects(destination.bucket, 1);
    await expectFailedBeforeAnyData(
      destination,
      'S3 credential check failed. Check the permissions on your S3 bucket and IAM policy.',
    );
  });

  it('fails with "An unknown internal error occurred writing the export task\'s metadata to the S3 bucket …" when the bucket fills up before the metadata', async () => {
    const destination = await target();
    const identifier = `rgw-metadata-${Date.now()}`;
    const { s3 } = rgw.clients();
    await pauseService(stack, 'metadata-writer');
    try {
      await startExport(stack, { identifier, sourceArn, target: destination });
      await waitForEvent('snapex.export.extraction.completed.v1', identifier);
      const written = await listObjects(s3, destination.bucket);
      await rgw.limitBucketObjects(destination.bucket, written.length);
    } finally {
      await resumeService(stack, 'metadata-writer');
    }
    const task = await stack.waitForStatus(identifier, ['FAILED', 'COMPLETE'], 60_000);
    expect({ Status: task.Status, FailureCause: task.FailureCause }).toEqual({
      Status: 'FAILED',
      FailureCause: `An unknown internal error occurred writing the export task's metadata to the S3 bucket ${destination.bucket}.`,
    });
    // The data stage had finished: its files stay, and no export_info claims a complete export.
    const keys = await objectKeysOf(s3, destination.bucket, identifier);
    expect(parquetKeys(keys).length).toBeGreaterThan(0);
    expect(keys.filter((key) => key.includes('export_info_'))).toEqual([]);
  });

  describe("one account naming another's role, key and bucket", () => {
    /** Starts an export of the account's own source to the destination, as that account. */
    async function startAs(apiKey: string, account: string, destination: RgwExportTarget) {
      caseNumber += 1;
      const identifier = `rgw-tenant-${caseNumber}-${Date.now()}`;
      const response = await stack.api(
        '/v1/StartExportTask',
        {
          ExportTaskIdentifier: identifier,
          SourceArn: stack.clusterArn('orders', account),
          S3BucketName: destination.bucket,
          IamRoleArn: destination.roleArn,
          KmsKeyId: destination.kmsKeyArn,
        },
        apiKey,
      );
      return { identifier, response };
    }

    async function bucketKeys(destination: RgwExportTarget): Promise<string[]> {
      return (await listObjects(rgw.clients().s3, destination.bucket)).map((object) => object.key);
    }

    async function expectFailedToAssume(apiKey: string, identifier: string, destination: RgwExportTarget) {
      const task = await stack.waitForStatus(identifier, ['COMPLETE', 'FAILED', 'CANCELED'], 120_000, apiKey);
      expect({ Status: task.Status, FailureCause: task.FailureCause }).toEqual({
        Status: 'FAILED',
        FailureCause: FailureMessages.cannotAssumeRole(destination.roleArn),
      });
      expect(await bucketKeys(destination)).toEqual([]);
    }

    it('is refused at once (400) unless the owner trusts the caller, and nothing reaches the bucket', async () => {
      const destination = await target();
      const { identifier, response } = await startAs(OTHER_API_KEY, OTHER_ACCOUNT, destination);
      expect(response.status).toBe(400);
      expect(response.body.Error.Code).toBe('IamRoleMissingPermissions');
      const described = await stack.api(
        '/v1/DescribeExportTasks',
        { ExportTaskIdentifier: identifier },
        OTHER_API_KEY,
      );
      expect(described.body.Error.Code).toBe('ExportTaskNotFound');
      expect(await bucketKeys(destination)).toEqual([]);
    });

    it("fails to assume a role whose trust policy demands the owner's ExternalId, writing nothing; RGW 16 refuses the owner too", async () => {
      const demandsOwner = await target({ requiredExternalId: rgw.account });
      const trusted = await startAs(TRUSTED_API_KEY, TRUSTED, demandsOwner);
      expect(trusted.response.status).toBe(200);
      await expectFailedToAssume(TRUSTED_API_KEY, trusted.identifier, demandsOwner);
      // RGW does not evaluate sts:ExternalId (README): the condition refuses every AssumeRole, the
      // owner's own included, so on RGW the start-time account check is what keeps tenants apart.
      const own = await startAs(API_KEY, rgw.account, demandsOwner);
      expect(own.response.status).toBe(200);
      await expectFailedToAssume(API_KEY, own.identifier, demandsOwner);
    });
  });
});
