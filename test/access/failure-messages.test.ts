import { DisableKeyCommand, ScheduleKeyDeletionCommand } from '@aws-sdk/client-kms';
import { CredentialFailureMessages, FailureMessages, SourceFailureMessages } from '@snapex/contracts';
import { PG_ADMIN_URL, pgUrl, recreateDatabase, withPg } from '../../scripts/local-stack/databases';
import { MY_ADMIN_URL, myUrl, recreateMySqlDatabase, withMySql } from '../../scripts/local-stack/mariadb';
import {
  adminClients,
  createExportTarget,
  detachRolePolicy,
  EXPORT_KMS_ACTIONS,
  EXPORT_S3_ACTIONS,
  ExportTarget,
  ExportTargetOptions,
} from '../../scripts/local-stack/export-target';
import { MOTO_ACCOUNT } from '../../scripts/local-stack/moto';
import {
  AccessStack,
  dumpLogs,
  objectKeysOf,
  parquetKeys,
  pauseService,
  publishedSubjects,
  resumeService,
  startAccessStack,
  startExport,
  waitForEvent,
} from './access-stack';

const SOURCE_DB = 'snapex_access_orders';
const READER = 'snapex_access_reader';

/** A database with rows to export, so that an export that wrongly went ahead would leave Parquet. */
async function createSourceDatabase(): Promise<string> {
  const url = await recreateDatabase(SOURCE_DB);
  await withPg(PG_ADMIN_URL, async (client) => {
    await client.query(`DROP ROLE IF EXISTS ${READER}`);
    await client.query(`CREATE ROLE ${READER} LOGIN`);
  });
  await withPg(url, async (client) => {
    await client.query(
      'CREATE TABLE public.orders AS SELECT i AS id, md5(i::text) AS note FROM generate_series(1, 2000) i',
    );
    await client.query(`GRANT SELECT ON public.orders TO ${READER}`);
  });
  return url;
}

/** Roles and databases a source can be refused with: a role that may not connect, a MariaDB user with a password. */
const NO_CONNECT_DB = 'snapex_access_noconnect';
const NO_CONNECT_ROLE = 'snapex_access_noconnect_reader';
const MISSING_DB = 'snapex_access_missing';
const MY_SOURCE_DB = 'snapex_access_my_orders';
const MY_USER = 'snapex_access_my_reader';
const MY_PASSWORD = 'right-password';

async function createRefusingSources(): Promise<void> {
  await recreateDatabase(NO_CONNECT_DB);
  await withPg(PG_ADMIN_URL, async (client) => {
    await client.query(`DROP DATABASE IF EXISTS ${MISSING_DB} WITH (FORCE)`);
    await client.query(`DROP ROLE IF EXISTS ${NO_CONNECT_ROLE}`);
    await client.query(`CREATE ROLE ${NO_CONNECT_ROLE} LOGIN`);
    await client.query(`REVOKE CONNECT ON DATABASE ${NO_CONNECT_DB} FROM PUBLIC`);
  });
  await recreateMySqlDatabase(MY_SOURCE_DB);
  await withMySql(async (connection) => {
    await connection.query(`DROP DATABASE IF EXISTS ${MISSING_DB}`);
    await connection.query(`DROP USER IF EXISTS '${MY_USER}'@'%'`);
    await connection.query(`CREATE USER '${MY_USER}'@'%' IDENTIFIED BY '${MY_PASSWORD}'`);
    await connection.query(`CREATE TABLE ${MY_SOURCE_DB}.orders (id INT PRIMARY KEY)`);
  });
}

function readerUrl(url: string): string {
  const reader = new URL(url);
  reader.username = READER;
  return reader.toString();
}

/** moto's DisableKey and ScheduleKeyDeletion take the key id, not its ARN. */
function keyIdOf(target: ExportTarget): string {
  return target.kmsKeyArn.split('/').pop()!;
}

/** What the role is missing, in the seed's terms, for the policy that grants everything else. */
const S3_ACTION_REMOVED: Record<string, string> = {
  's3:PutObject': 's3:PutObject*',
  's3:GetObject': 's3:GetObject*',
  's3:ListBucket': 's3:ListBucket',
  's3:DeleteObject': 's3:DeleteObject*',
  's3:GetBucketLocation': 's3:GetBucketLocation',
};

describe('every failure message of the seed, from the condition that causes it (moto with IAM enforcement)', () => {
  let access: AccessStack;
  let sourceArn: string;
  let restrictedSourceArn: string;
  let caseNumber = 0;

  beforeAll(async () => {
    const url = await createSourceDatabase();
    await createRefusingSources();
    access = await startAccessStack({
      name: 'access-failures',
      sources: [
        { name: 'orders', url, databases: [SOURCE_DB] },
        { name: 'orders-restricted', url: readerUrl(url), databases: [SOURCE_DB] },
        { name: 'pg-unknown-role', url: pgUrl(SOURCE_DB, 'snapex_access_nobody'), databases: [SOURCE_DB] },
        { name: 'pg-missing-database', url: pgUrl(MISSING_DB) },
        { name: 'pg-no-connect', url: pgUrl('postgres', NO_CONNECT_ROLE), databases: [NO_CONNECT_DB] },
        {
          name: 'my-wrong-password',
          engine: 'mysql',
          url: myUrl({ user: MY_USER, password: 'wrong-password' }),
          databases: [MY_SOURCE_DB],
        },
        { name: 'my-missing-database', engine: 'mysql', url: myUrl({ database: MISSING_DB }) },
        {
          name: 'my-no-access',
          engine: 'mysql',
          url: myUrl({ user: MY_USER, password: MY_PASSWORD, database: MY_SOURCE_DB }),
        },
      ],
    });
    sourceArn = access.stack.clusterArn('orders');
    restrictedSourceArn = access.stack.clusterArn('orders-restricted');
  });

  afterAll(async () => {
    await access?.stop();
    await withMySql((connection) => connection.query(`DROP USER IF EXISTS '${MY_USER}'@'%'`));
  });

  afterEach(() => {
    const state = expect.getState();
    if (state.assertionCalls !== state.numPassingAsserts) dumpLogs(access.stack);
  });

  /** A target of its own for each case: role, bucket and key named after it. */
  function target(options: ExportTargetOptions = {}): Promise<ExportTarget> {
    caseNumber += 1;
    return createExportTarget(access.moto, `fm${caseNumber}`, options);
  }

  /** Starts an export to the target, waits for it to end and returns the task. */
  async function exportTo(destination: ExportTarget, source = sourceArn): Promise<any> {
    const identifier = `failure-${caseNumber}-${Date.now()}`;
    await startExport(access.stack, { identifier, sourceArn: source, target: destination });
    return access.stack.waitForStatus(identifier, ['FAILED', 'COMPLETE', 'CANCELED'], 90_000);
  }

  async function expectFailedBeforeAnyData(destination: ExportTarget, failureCause: string): Promise<void> {
    const task = await exportTo(destination);
    expect({ Status: task.Status, FailureCause: task.FailureCause }).toEqual({
      Status: 'FAILED',
      FailureCause: failureCause,
    });
    expect(task.TaskEndTime).toBeDefined();
    const keys = await objectKeysOf(access.s3, destination.bucket, task.ExportTaskIdentifier);
    expect(parquetKeys(keys)).toEqual([]);
    // TaskFailed was published and the export never got past validation: nothing was planned or read.
    const subjects = await publishedSubjects(task.ExportTaskIdentifier);
    expect(subjects).toContain('snapex.export.task.failed.v1');
    expect(subjects).not.toContain('snapex.export.credentials.validated.v1');
  }

  describe('checked before any data moves', () => {
    it("no such bucket: \"The S3 bucket … isn't valid. Either it isn't located in the current AWS Region or it doesn't exist.\"", async () => {
      const missing = await target({ createBucket: false });
      await expectFailedBeforeAnyData(missing, FailureMessages.bucketInvalid(missing.bucket));
      expect(FailureMessages.bucketInvalid(missing.bucket)).toBe(
        `The S3 bucket ${missing.bucket} isn't valid. Either it isn't located in the current AWS Region or it doesn't exist. Review your S3 bucket name and retry the export.`,
      );
    });

    it('a bucket in another region: "The S3 bucket … isn\'t located in the current AWS Region."', async () => {
      const elsewhere = await target({ bucketRegion: 'eu-west-1' });
      await expectFailedBeforeAnyData(
        elsewhere,
        `The S3 bucket ${elsewhere.bucket} isn't located in the current AWS Region. Review your S3 bucket name and retry the export.`,
      );
    });

    it('a trust policy that does not name snapex: "… because it can\'t assume the IAM role …"', async () => {
      const untrusting = await target({ trustedPrincipal: `arn:aws:iam::${MOTO_ACCOUNT}:user/someone-else` });
      await expectFailedBeforeAnyData(
        untrusting,
        `The RDS export failed to write the export task's metadata because it can't assume the IAM role ${untrusting.roleArn}.`,
      );
    });

    it.each(Object.keys(S3_ACTION_REMOVED))(
      'a role policy without %s: "The IAM role … isn\'t authorized to call <action> on the S3 bucket …"',
      async (action) => {
        const actions = EXPORT_S3_ACTIONS.filter((granted) => granted !== S3_ACTION_REMOVED[action]);
        const limited = await target({ s3Actions: actions });
        await expectFailedBeforeAnyData(
          limited,
          `The IAM role ${limited.roleArn} isn't authorized to call ${action} on the S3 bucket ${limited.bucket}. Review your permissions and retry the export.`,
        );
      },
    );

    const kmsCheckFailed = 'KMS key check failed. Check the credentials on your KMS key and try again.';

    it('a key that does not exist: "KMS key check failed…"', async () => {
      const destination = await target();
      const missingKey = destination.kmsKeyArn.replace(
        /key\/.*$/,
        'key/0b0e5ce7-5a1e-4c7e-9d1e-000000000000',
      );
      await expectFailedBeforeAnyData({ ...destination, kmsKeyArn: missingKey }, kmsCheckFailed);
    });

    it('a disabled key: "KMS key check failed…"', async () => {
      const destination = await target();
      await adminClients(access.moto).kms.send(new DisableKeyCommand({ KeyId: keyIdOf(destination) }));
      await expectFailedBeforeAnyData(destination, kmsCheckFailed);
    });

    it('a key pending deletion: "KMS key check failed…"', async () => {
      const destination = await target();
      await adminClients(access.moto).kms.send(
        new ScheduleKeyDeletionCommand({ KeyId: keyIdOf(destination), PendingWindowInDays: 7 }),
      );
      await expectFailedBeforeAnyData(destination, kmsCheckFailed);
    });

    it('an asymmetric key: "KMS key check failed…"', async () => {
      await expectFailedBeforeAnyData(await target({ keySpec: 'RSA_2048' }), kmsCheckFailed);
    });

    it.each(['kms:Encrypt', 'kms:Decrypt'])(
      'a role not allowed %s on the key: "KMS key check failed…"',
      async (action) => {
        const kmsActions = EXPORT_KMS_ACTIONS.filter((granted) => granted !== action);
        await expectFailedBeforeAnyData(await target({ kmsActions }), kmsCheckFailed);
      },
    );

    it('leaves nothing behind when the check passes: the probe object is deleted', async () => {
      const destination = await target();
      const task = await exportTo(destination);
      expect(task.Status).toBe('COMPLETE');
      const keys = await objectKeysOf(access.s3, destination.bucket, task.ExportTaskIdentifier);
      expect(keys.filter((key) => key.includes('.snapex-access-probe-'))).toEqual([]);
      expect(parquetKeys(keys).length).toBeGreaterThan(0);
    });
  });

  describe('refused later', () => {
    it('metadata write refused: "The RDS export failed to write the export task\'s metadata to the S3 bucket … Error code: AccessDenied"', async () => {
      const destination = await target();
      const identifier = `metadata-refused-${Date.now()}`;
      await pauseService(access.stack, 'metadata-writer');
      try {
        await startExport(access.stack, { identifier, sourceArn, target: destination });
        await waitForEvent('snapex.export.extraction.completed.v1', identifier);
        await detachRolePolicy(access.moto, destination, destination.s3PolicyArn);
      } finally {
        await resumeService(access.stack, 'metadata-writer');
      }
      const task = await access.stack.waitForStatus(identifier, ['FAILED', 'COMPLETE'], 60_000);
      expect({ Status: task.Status, FailureCause: task.FailureCause }).toEqual({
        Status: 'FAILED',
        FailureCause: `The RDS export failed to write the export task's metadata to the S3 bucket ${destination.bucket} using the IAM role ${destination.roleArn} with the KMS key ${destination.kmsKeyArn}. Error code: AccessDenied`,
      });
      // The data stage had finished: its files stay, and no export_info claims a complete export.
      const keys = await objectKeysOf(access.s3, destination.bucket, identifier);
      expect(parquetKeys(keys).length).toBeGreaterThan(0);
      expect(keys.filter((key) => key.includes('export_info_'))).toEqual([]);
    });

    it('a table the export user may no longer read: the cause names the table and the grant it needs', async () => {
      const destination = await target();
      const identifier = `table-denied-${Date.now()}`;
      await pauseService(access.stack, 'table-extractor');
      try {
        await startExport(access.stack, { identifier, sourceArn: restrictedSourceArn, target: destination });
        await access.stack.waitForStatus(identifier, ['IN_PROGRESS'], 60_000);
        await withPg(pgUrl(SOURCE_DB), (client) =>
          client.query(`REVOKE SELECT ON public.orders FROM ${READER}`),
        );
      } finally {
        await resumeService(access.stack, 'table-extractor');
      }
      const task = await access.stack.waitForStatus(identifier, ['FAILED', 'COMPLETE'], 60_000);
      expect({ Status: task.Status, FailureCause: task.FailureCause }).toEqual({
        Status: 'FAILED',
        FailureCause: SourceFailureMessages.tableDenied(`${SOURCE_DB}.public.orders`),
      });
      expect(task.FailureCause).toContain('SELECT on the table');
      expect(parquetKeys(await objectKeysOf(access.s3, destination.bucket, identifier))).toEqual([]);
    });
  });

  describe('a source that refuses snapex', () => {
    const pgServer = new URL(PG_ADMIN_URL).host;
    const myServer = new URL(MY_ADMIN_URL).host;

    async function expectRefusal(source: string, failureCause: string): Promise<void> {
      const destination = await target();
      const task = await exportTo(destination, access.stack.clusterArn(source));
      expect({ Status: task.Status, FailureCause: task.FailureCause }).toEqual({
        Status: 'FAILED',
        FailureCause: failureCause,
      });
      expect(
        parquetKeys(await objectKeysOf(access.s3, destination.bucket, task.ExportTaskIdentifier)),
      ).toEqual([]);
    }

    it('PostgreSQL, a role that does not exist: the login is refused', async () => {
      await expectRefusal(
        'pg-unknown-role',
        SourceFailureMessages.loginRefused(pgServer, 'snapex_access_nobody'),
      );
    });

    it('PostgreSQL, a connection URL naming a database that does not exist', async () => {
      await expectRefusal('pg-missing-database', SourceFailureMessages.databaseMissing(pgServer, MISSING_DB));
    });

    it('PostgreSQL, a role without CONNECT on the exported database', async () => {
      await expectRefusal(
        'pg-no-connect',
        SourceFailureMessages.databaseDenied(pgServer, NO_CONNECT_DB, NO_CONNECT_ROLE),
      );
    });

    it('MariaDB, a wrong password: the login is refused', async () => {
      await expectRefusal('my-wrong-password', SourceFailureMessages.loginRefused(myServer, MY_USER));
    });

    it('MariaDB, a connection URL naming a database that does not exist', async () => {
      await expectRefusal('my-missing-database', SourceFailureMessages.databaseMissing(myServer, MISSING_DB));
    });

    it('MariaDB, a user without any privilege on the database its URL names', async () => {
      await expectRefusal(
        'my-no-access',
        SourceFailureMessages.databaseDenied(myServer, MY_SOURCE_DB, MY_USER),
      );
    });
  });
});

describe('a request AWS refuses for its signature, not for a policy (moto with IAM enforcement)', () => {
  let access: AccessStack;

  beforeAll(async () => {
    const url = await createSourceDatabase();
    access = await startAccessStack({
      name: 'access-signature',
      sources: [{ name: 'orders', url, databases: [SOURCE_DB] }],
      serviceCredentials: (issued) => ({ ...issued, secretAccessKey: `${issued.secretAccessKey}-wrong` }),
    });
  });

  afterAll(async () => {
    await access?.stop();
  });

  it('a wrong secret key: "AWS STS refused the request signature (SignatureDoesNotMatch) …", not an IAM refusal', async () => {
    const destination = await createExportTarget(access.moto, 'fmsig');
    const identifier = `signature-${Date.now()}`;
    await startExport(access.stack, {
      identifier,
      sourceArn: access.stack.clusterArn('orders'),
      target: destination,
    });
    const task = await access.stack.waitForStatus(identifier, ['FAILED', 'COMPLETE'], 90_000);
    expect({ Status: task.Status, FailureCause: task.FailureCause }).toEqual({
      Status: 'FAILED',
      FailureCause: CredentialFailureMessages.refused({
        kind: 'signature',
        service: 'AWS STS',
        errorCode: 'SignatureDoesNotMatch',
      }),
    });
    expect(task.FailureCause).toContain('secret access key');
    expect(parquetKeys(await objectKeysOf(access.s3, destination.bucket, identifier))).toEqual([]);
  });
});
