import { execFile, spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { CreateRoleCommand, IAMClient, PutRolePolicyCommand } from '@aws-sdk/client-iam';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { EXPORT_S3_ACTIONS, exportPolicyDocument } from '../../scripts/local-stack/export-target';
import { freePort } from '../../scripts/local-stack/moto';
import { REPO_ROOT } from '../../scripts/local-stack/stack';

const run = promisify(execFile);
const SCRIPTS = join(REPO_ROOT, 'deploy', 'ceph');
const DATA_POOL = 'default.rgw.buckets.data';
const REQUIRED_TOOLS = [
  'ceph-mon',
  'ceph-osd',
  'radosgw',
  'radosgw-admin',
  'rados',
  'ceph-authtool',
  'monmaptool',
];

/** The Ceph tools rgw-up.sh needs that are not installed (deploy/ceph/install.sh installs them). */
export function missingCephTools(): string[] {
  return REQUIRED_TOOLS.filter(
    (tool) => spawnSync('sh', ['-c', `command -v ${tool}`], { encoding: 'utf8' }).status !== 0,
  );
}

export interface Credentials {
  accessKeyId: string;
  secretAccessKey: string;
  arn: string;
}

interface RgwDescription {
  endpoint: string;
  region: string;
  account: string;
  dir: string;
  cephConf: string;
  admin: Credentials;
  service: Credentials;
}

/** A raw RADOS object of the bucket's data pool: the bytes as they sit on the OSD, and how RGW encrypted them. */
export interface StoredObject {
  name: string;
  bytes: Buffer;
  cryptMode: string | null;
  cryptKeyId: string | null;
}

/** A running single-node Ceph RGW made by deploy/ceph/rgw-up.sh: S3, STS and IAM roles, SSE-KMS at rest. */
export class Rgw {
  private constructor(private readonly description: RgwDescription) {}

  /** `kmsKeys` are the key ids RGW encrypts with (its "testing" backend), each with its 32-byte key. */
  static async start(kmsKeys: Record<string, Buffer>): Promise<Rgw> {
    const dir = mkdtempSync(join(tmpdir(), 'snapex-rgw-'));
    const env = {
      ...process.env,
      SNAPEX_RGW_DIR: dir,
      SNAPEX_RGW_PORT: String(await freePort()),
      SNAPEX_RGW_MON_PORT: String(await freePort()),
      SNAPEX_RGW_KMS_KEYS: Object.entries(kmsKeys)
        .map(([id, key]) => `${id}=${key.toString('base64')}`)
        .join(' '),
    };
    try {
      const { stdout } = await run(join(SCRIPTS, 'rgw-up.sh'), { env, timeout: 120_000 });
      return new Rgw(JSON.parse(stdout.trim().split('\n').pop()!));
    } catch (error) {
      await run(join(SCRIPTS, 'rgw-down.sh'), { env }).catch(() => undefined);
      throw error;
    }
  }

  get endpoint(): string {
    return this.description.endpoint;
  }

  get account(): string {
    return this.description.account;
  }

  get admin(): Credentials {
    return this.description.admin;
  }

  /** snapex's own identity on RGW: a user with no permissions of its own, named by trust policies. */
  get service(): Credentials {
    return this.description.service;
  }

  private settingsWith(credentials: Credentials) {
    return {
      endpoint: this.endpoint,
      region: this.description.region,
      credentials: { accessKeyId: credentials.accessKeyId, secretAccessKey: credentials.secretAccessKey },
      forcePathStyle: true,
    };
  }

  /** S3 and IAM as the bucket owner, the tenant's administrator. */
  clients() {
    const settings = this.settingsWith(this.admin);
    return { s3: new S3Client(settings), iam: new IAMClient(settings) };
  }

  /** S3 as the export role, assumed by snapex's identity: objects it wrote are the role's to read. */
  async s3AsRole(roleArn: string): Promise<S3Client> {
    const sts = new STSClient({ ...this.settingsWith(this.service) });
    const { Credentials } = await sts.send(
      new AssumeRoleCommand({
        RoleArn: roleArn,
        RoleSessionName: 'snapex-test-readback',
        DurationSeconds: 900,
      }),
    );
    sts.destroy();
    return new S3Client({
      ...this.settingsWith(this.service),
      credentials: {
        accessKeyId: Credentials!.AccessKeyId!,
        secretAccessKey: Credentials!.SecretAccessKey!,
        sessionToken: Credentials!.SessionToken,
      },
    });
  }

  async stop(): Promise<void> {
    await run(join(SCRIPTS, 'rgw-down.sh'), {
      env: { ...process.env, SNAPEX_RGW_DIR: this.description.dir },
    });
  }

  /** A bucket quota of this many objects, as an operator sets one. */
  async limitBucketObjects(bucket: string, maxObjects: number): Promise<void> {
    const scope = ['--quota-scope=bucket', `--bucket=${this.account}/${bucket}`];
    await this.ceph('radosgw-admin', ['quota', 'set', ...scope, `--max-objects=${maxObjects}`]);
    await this.ceph('radosgw-admin', ['quota', 'enable', ...scope]);
  }

  /**
   * The RADOS objects holding the heads of the given S3 objects (named `<bucket marker>_<key>` in the
   * data pool; a small object's data sits in its head), by S3 key.
   */
  async storedObjects(keys: string[]): Promise<Map<string, StoredObject[]>> {
    const { stdout } = await this.ceph('rados', ['-p', DATA_POOL, 'ls']);
    const names = stdout.split('\n');
    const stored = await Promise.all(
      keys.map(async (key) => {
        const heads = names.filter((name) => name.endsWith(`_${key}`));
        return [key, await Promise.all(heads.map((name) => this.storedObject(name)))] as const;
      }),
    );
    return new Map(stored);
  }

  private async storedObject(name: string): Promise<StoredObject> {
    const xattr = (attribute: string) =>
      this.ceph('rados', ['-p', DATA_POOL, 'getxattr', name, attribute]).then(
        ({ stdout }) => stdout,
        () => null,
      );
    const [bytes, cryptMode, cryptKeyId] = await Promise.all([
      this.cephBytes('rados', ['-p', DATA_POOL, 'get', name, '-']),
      xattr('user.rgw.crypt.mode'),
      xattr('user.rgw.crypt.keyid'),
    ]);
    return { name, bytes, cryptMode, cryptKeyId };
  }

  private ceph(command: string, args: string[]) {
    return run(command, args, { env: { ...process.env, CEPH_CONF: this.description.cephConf } });
  }

  private async cephBytes(command: string, args: string[]): Promise<Buffer> {
    const { stdout } = await run(command, args, {
      env: { ...process.env, CEPH_CONF: this.description.cephConf },
      encoding: 'buffer',
      maxBuffer: 64 * 1024 * 1024,
    });
    return stdout;
  }
}

export interface RgwExportTarget {
  bucket: string;
  roleArn: string;
  kmsKeyArn: string;
}

/**
 * A bucket and a role set up on RGW as the seed tells users to, for a key RGW encrypts with. RGW 16
 * (Pacific) evaluates a trust policy's principal but none of the AssumeRole request's own condition
 * keys (sts:ExternalId, aws:RequestTag/…): any such condition refuses every AssumeRole, so the role
 * carries none unless `requiredExternalId` asks for one. It accepts and ignores session tags.
 */
export async function createRgwExportTarget(
  rgw: Rgw,
  name: string,
  kmsKeyArn: string,
  options: { trustedPrincipal?: string; requiredExternalId?: string } = {},
): Promise<RgwExportTarget> {
  const { s3, iam } = rgw.clients();
  const bucket = `${name}-bucket`;
  await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  const roleName = `${name}-export-role`;
  const { Role } = await iam.send(
    new CreateRoleCommand({
      RoleName: roleName,
      Path: '/',
      AssumeRolePolicyDocument: JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Principal: { AWS: [options.trustedPrincipal ?? rgw.service.arn] },
            Action: ['sts:AssumeRole', 'sts:TagSession'],
            ...(options.requiredExternalId
              ? { Condition: { StringEquals: { 'sts:ExternalId': options.requiredExternalId } } }
              : {}),
          },
        ],
      }),
    }),
  );
  await iam.send(
    new PutRolePolicyCommand({
      RoleName: roleName,
      PolicyName: 'export-policy',
      PolicyDocument: exportPolicyDocument(bucket, EXPORT_S3_ACTIONS),
    }),
  );
  return { bucket, roleArn: Role!.Arn!, kmsKeyArn };
}
