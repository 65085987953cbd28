import { readFileSync } from 'node:fs';
import { DisableKeyCommand } from '@aws-sdk/client-kms';
import { FailureMessages } from '@snapex/contracts';
import { recreateDatabase, withPg } from '../../scripts/local-stack/databases';
import {
  adminClients,
  createExportTarget,
  detachRolePolicy,
  ExportTarget,
} from '../../scripts/local-stack/export-target';
import { encryptionOf } from '../../scripts/local-stack/readback';
import {
  AccessStack,
  dumpLogs,
  objectKeysOf,
  parquetKeys,
  startAccessStack,
  startExport,
} from './access-stack';

const SOURCE_DB = 'snapex_access_many';
const TABLES = 40;
/**
 * Enough rows that the export outlasts two sessions with room to spare: 90,000 a table were exported
 * in 5.8 s on Node 24 with columnar reads, short of the 6 s this test needs.
 */
const ROWS_PER_TABLE = 200_000;
/** Far below AWS's 900 s minimum, which moto does not apply: several sessions fit in one export. */
const SESSION_SECONDS = 3;

interface Assumption {
  at: number;
  expiresAt: number;
}

/** When the service assumed the role and until when each session was good, from its debug log. */
function assumptionsIn(logFile: string, roleArn: string): Assumption[] {
  return readFileSync(logFile, 'utf8')
    .split('\n')
    .filter((line) => line.includes('"assumed the export role"'))
    .map((line) => JSON.parse(line))
    .filter((entry) => entry.roleArn === roleArn)
    .map((entry) => ({ at: Date.parse(entry.time), expiresAt: Date.parse(entry.expiration) }));
}

/** Every AssumeRole moto answered for the role (its own record, independent of snapex's logs). */
async function assumeRoleCallsSeenByMoto(endpoint: string, roleArn: string): Promise<number> {
  const data = (await (await fetch(`${endpoint}/moto-api/data.json`)).json()) as any;
  return (data.sts?.AssumedRole ?? []).filter((role: any) => role.role_arn === roleArn).length;
}

async function waitFor<T>(probe: () => Promise<T | undefined>, what: string, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const found = await probe();
    if (found !== undefined) return found;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${what} did not happen within ${timeoutMs} ms`);
}

describe('access lost during an export, and an export longer than its STS session (moto with IAM enforcement)', () => {
  let access: AccessStack;
  let sourceArn: string;
  let caseNumber = 0;

  beforeAll(async () => {
    const url = await recreateDatabase(SOURCE_DB);
    await withPg(url, async (client) => {
      for (let table = 0; table < TABLES; table++) {
        await client.query(
          `CREATE TABLE t${table} AS SELECT i AS id, md5(i::text) AS payload FROM generate_series(1, ${ROWS_PER_TABLE}) i`,
        );
      }
    });
    access = await startAccessStack({
      name: 'access-lost',
      sources: [{ name: 'many-tables', url, databases: [SOURCE_DB] }],
      aws: { roleSessionSeconds: SESSION_SECONDS, keyRecheckSeconds: 1 },
      config: { extractor: { concurrency: 1, batchRows: 200 } },
    });
    sourceArn = access.stack.clusterArn('many-tables');
  });

  afterAll(async () => {
    await access?.stop();
  });

  afterEach(() => {
    const state = expect.getState();
    if (state.assertionCalls !== state.numPassingAsserts) dumpLogs(access.stack);
  });

  function target(): Promise<ExportTarget> {
    caseNumber += 1;
    return createExportTarget(access.moto, `la${caseNumber}`);
  }

  /** Starts an export and returns once some of its Parquet files are in the bucket. */
  async function exportUnderWay(
    destination: ExportTarget,
  ): Promise<{ identifier: string; written: string[] }> {
    const identifier = `lost-${caseNumber}-${Date.now()}`;
    await startExport(access.stack, { identifier, sourceArn, target: destination });
    const written = await waitFor(async () => {
      const found = parquetKeys(await objectKeysOf(access.s3, destination.bucket, identifier));
      return found.length >= 2 ? found : undefined;
    }, 'two Parquet files');
    return { identifier, written };
  }

  async function expectFailedKeepingData(
    destination: ExportTarget,
    run: { identifier: string; written: string[] },
    failureCause: string,
  ): Promise<void> {
    const revokedAt = Date.now();
    const task = await access.stack.waitForStatus(run.identifier, ['FAILED', 'COMPLETE'], 60_000);
    expect({ Status: task.Status, FailureCause: task.FailureCause }).toEqual({
      Status: 'FAILED',
      FailureCause: failureCause,
    });
    expect(Date.now() - revokedAt).toBeLessThan(30_000);
    const keys = await objectKeysOf(access.s3, destination.bucket, run.identifier);
    expect(keys).toEqual(expect.arrayContaining(run.written));
    expect(parquetKeys(keys).length).toBeLessThan(TABLES);
    expect(keys.filter((key) => key.includes('export_info_'))).toEqual([]);
  }

  it('fails with "The IAM role … isn\'t authorized to call s3:PutObject …" when the role policy is removed mid-export', async () => {
    const destination = await target();
    const run = await exportUnderWay(destination);
    await detachRolePolicy(access.moto, destination, destination.s3PolicyArn);
    await expectFailedKeepingData(
      destination,
      run,
      FailureMessages.roleNotAuthorized(destination.roleArn, 's3:PutObject', destination.bucket),
    );
  });

  it('fails with "KMS key check failed…" when the key is disabled mid-export', async () => {
    const destination = await target();
    const run = await exportUnderWay(destination);
    await adminClients(access.moto).kms.send(
      new DisableKeyCommand({ KeyId: destination.kmsKeyArn.split('/').pop()! }),
    );
    await expectFailedKeepingData(destination, run, FailureMessages.kmsCheckFailed());
  });

  it('completes an export that outlasts several STS sessions, assuming the role again before each ends', async () => {
    const destination = await target();
    const identifier = `long-session-${Date.now()}`;
    await startExport(access.stack, { identifier, sourceArn, target: destination });
    const task = await access.stack.waitForStatus(identifier, ['COMPLETE', 'FAILED'], 180_000);
    expect({ Status: task.Status, FailureCause: task.FailureCause }).toEqual({ Status: 'COMPLETE' });
    const exportSeconds = (Date.parse(task.TaskEndTime) - Date.parse(task.TaskStartTime)) / 1000;
    expect(exportSeconds).toBeGreaterThan(2 * SESSION_SECONDS);

    const extractor = access.stack.services.find((service) => service.name === 'table-extractor-0')!;
    const sessions = assumptionsIn(extractor.logFile, destination.roleArn);
    expect(sessions.length).toBeGreaterThanOrEqual(3);
    for (const session of sessions) {
      expect(session.expiresAt - session.at).toBeLessThanOrEqual((SESSION_SECONDS + 1) * 1000);
    }
    // Each session was replaced while it was still good: no request needed expired credentials.
    sessions.slice(1).forEach((session, index) => expect(session.at).toBeLessThan(sessions[index].expiresAt));
    expect(await assumeRoleCallsSeenByMoto(access.moto.endpoint, destination.roleArn)).toBeGreaterThanOrEqual(
      sessions.length,
    );

    for (const key of await objectKeysOf(access.s3, destination.bucket, identifier)) {
      expect({ key, ...(await encryptionOf(access.s3, destination.bucket, key)) }).toEqual({
        key,
        sse: 'aws:kms',
        keyId: destination.kmsKeyArn,
      });
    }
  });
});
