import {
  AttachRolePolicyCommand,
  CreateAccessKeyCommand,
  CreatePolicyCommand,
  CreateRoleCommand,
  CreateUserCommand,
  DetachRolePolicyCommand,
  IAMClient,
  PutUserPolicyCommand,
} from '@aws-sdk/client-iam';
import { CreateKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import { BucketLocationConstraint, CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { MOTO_ACCOUNT, MOTO_REGION, MotoServer } from './moto';

export interface ExportTarget {
  bucket: string;
  roleArn: string;
  kmsKeyArn: string;
  /** snapex's own identity: may only assume roles. */
  service: { accessKeyId: string; secretAccessKey: string; arn: string };
  roleName: string;
  /** The managed policies attached to the role: the seed's S3 policy and the key-use policy. */
  s3PolicyArn: string;
  keyUsePolicyArn: string;
  /** What metadataWriter.glueCatalog registers tables with, as README.md lists it. */
  catalogPolicyArn: string;
}

/** The seed's S3 actions, as its export policy lists them. */
export const EXPORT_S3_ACTIONS = [
  's3:PutObject*',
  's3:ListBucket',
  's3:GetObject*',
  's3:DeleteObject*',
  's3:GetBucketLocation',
];

/** What the role needs of the key: the seed's kms:Encrypt and kms:Decrypt, and what SSE-KMS calls. */
export const EXPORT_KMS_ACTIONS = [
  'kms:Encrypt',
  'kms:Decrypt',
  'kms:GenerateDataKey*',
  'kms:DescribeKey',
  'kms:ReEncrypt*',
];

/** What registering an export's tables in the Glue Data Catalog needs (metadataWriter.glueCatalog). */
export const EXPORT_GLUE_ACTIONS = [
  'glue:GetDatabase',
  'glue:CreateDatabase',
  'glue:GetTable',
  'glue:CreateTable',
  'glue:UpdateTable',
];

/**
 * README.md's catalog policy names the catalog, its databases and their tables; moto authorizes Glue
 * calls against resource "*", as it does KMS calls.
 */
export function catalogPolicyDocument() {
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'ExportCatalog',
        Effect: 'Allow',
        Action: EXPORT_GLUE_ACTIONS,
        Resource: '*',
      },
    ],
  });
}

/** Ways a target can differ from the seed's setup, each a real misconfiguration the tests provoke. */
export interface ExportTargetOptions {
  createBucket?: boolean;
  /** The bucket's LocationConstraint; the stack's region when absent. */
  bucketRegion?: string;
  /** The S3 actions the role's policy allows. */
  s3Actions?: string[];
  /** The KMS actions the role's key-use policy allows. */
  kmsActions?: string[];
  /** The principal the role's trust policy names; snapex's own identity when absent. */
  trustedPrincipal?: string;
  /** The snapex account the trust policy lets the role be used for; the stack's own account when absent. */
  forAccount?: string;
  /** SYMMETRIC_DEFAULT when absent; an RSA spec makes an asymmetric key. */
  keySpec?: 'SYMMETRIC_DEFAULT' | 'RSA_2048';
}

export function adminClients(moto: MotoServer) {
  const common = {
    endpoint: moto.endpoint,
    region: MOTO_REGION,
    credentials: moto.admin,
    forcePathStyle: true,
  };
  return { iam: new IAMClient(common), s3: new S3Client(common), kms: new KMSClient(common) };
}

/**
 * The trust policy README.md tells users to give an export role: snapex's identity may assume it,
 * and tag the session, only for exports started by `account` from a source of `account`, as
 * aws:SourceAccount and aws:SourceArn hold export.rds.amazonaws.com to its caller on AWS.
 */
export function exportTrustPolicy(principal: string, account: string, region = MOTO_REGION): string {
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Principal: { AWS: principal },
        Action: ['sts:AssumeRole', 'sts:TagSession'],
        Condition: {
          StringEquals: { 'sts:ExternalId': account, 'aws:RequestTag/snapex:SourceAccount': account },
          ArnLike: { 'aws:RequestTag/snapex:SourceArn': `arn:aws:rds:${region}:${account}:*` },
        },
      },
    ],
  });
}

/** The seed's policy: the five S3 actions an export needs, on the bucket and its objects. */
export function exportPolicyDocument(bucket: string, actions = EXPORT_S3_ACTIONS) {
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'ExportPolicy',
        Effect: 'Allow',
        Action: actions,
        Resource: [`arn:aws:s3:::${bucket}`, `arn:aws:s3:::${bucket}/*`],
      },
    ],
  });
}

const serviceIdentities = new Map<string, Promise<ExportTarget['service']>>();

/** The IAM user snapex runs as; created once per moto server. */
/**
 * A key pair alone, as the configuration's aws.serviceCredentials takes it: an identity carries its
 * ARN, and the SDK marks the credential objects it has used with fields of its own.
 */
export function serviceCredentialsOf(keys: { accessKeyId: string; secretAccessKey: string }) {
  return { accessKeyId: keys.accessKeyId, secretAccessKey: keys.secretAccessKey };
}

export function ensureServiceIdentity(moto: MotoServer): Promise<ExportTarget['service']> {
  const known = serviceIdentities.get(moto.endpoint);
  if (known) return known;
  const serviceIdentity = (async () => {
    const { iam } = adminClients(moto);
    await iam.send(new CreateUserCommand({ UserName: 'snapex-service' }));
    await iam.send(
      new PutUserPolicyCommand({
        UserName: 'snapex-service',
        PolicyName: 'assume-export-roles',
        PolicyDocument: JSON.stringify({
          Version: '2012-10-17',
          Statement: [
            {
              Effect: 'Allow',
              Action: ['sts:AssumeRole', 'sts:TagSession'],
              Resource: `arn:aws:iam::${MOTO_ACCOUNT}:role/*`,
            },
          ],
        }),
      }),
    );
    const { AccessKey } = await iam.send(new CreateAccessKeyCommand({ UserName: 'snapex-service' }));
    return {
      accessKeyId: AccessKey!.AccessKeyId!,
      secretAccessKey: AccessKey!.SecretAccessKey!,
      arn: `arn:aws:iam::${MOTO_ACCOUNT}:user/snapex-service`,
    };
  })();
  serviceIdentities.set(moto.endpoint, serviceIdentity);
  return serviceIdentity;
}

/** A bucket, a symmetric KMS key and a role set up exactly as the seed tells users to. */
export async function createExportTarget(
  moto: MotoServer,
  name: string,
  options: ExportTargetOptions = {},
): Promise<ExportTarget> {
  const service = await ensureServiceIdentity(moto);
  const { iam, kms } = adminClients(moto);
  const bucket = `${name}-bucket`;
  if (options.createBucket ?? true) await createBucket(moto, bucket, options.bucketRegion);
  const { KeyMetadata } = await kms.send(
    new CreateKeyCommand({
      Description: `${name} export key`,
      KeySpec: options.keySpec ?? 'SYMMETRIC_DEFAULT',
      KeyUsage: 'ENCRYPT_DECRYPT',
    }),
  );
  const kmsKeyArn = KeyMetadata!.Arn!;
  const { Role } = await iam.send(
    new CreateRoleCommand({
      RoleName: `${name}-export-role`,
      // snapex's own identity stands where RDS's service principal export.rds.amazonaws.com would.
      AssumeRolePolicyDocument: exportTrustPolicy(
        options.trustedPrincipal ?? service.arn,
        options.forAccount ?? MOTO_ACCOUNT,
      ),
    }),
  );
  const { Policy } = await iam.send(
    new CreatePolicyCommand({
      PolicyName: `${name}-export-policy`,
      PolicyDocument: exportPolicyDocument(bucket, options.s3Actions),
    }),
  );
  await iam.send(new AttachRolePolicyCommand({ RoleName: Role!.RoleName!, PolicyArn: Policy!.Arn! }));
  const { Policy: keyUse } = await iam.send(
    new CreatePolicyCommand({
      PolicyName: `${name}-key-use`,
      PolicyDocument: JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Action: options.kmsActions ?? EXPORT_KMS_ACTIONS,
            // moto authorizes KMS calls against resource "*", not the key ARN.
            Resource: '*',
          },
        ],
      }),
    }),
  );
  await iam.send(new AttachRolePolicyCommand({ RoleName: Role!.RoleName!, PolicyArn: keyUse!.Arn! }));
  const { Policy: catalog } = await iam.send(
    new CreatePolicyCommand({ PolicyName: `${name}-catalog`, PolicyDocument: catalogPolicyDocument() }),
  );
  await iam.send(new AttachRolePolicyCommand({ RoleName: Role!.RoleName!, PolicyArn: catalog!.Arn! }));
  return {
    bucket,
    roleArn: Role!.Arn!,
    kmsKeyArn,
    service,
    roleName: Role!.RoleName!,
    s3PolicyArn: Policy!.Arn!,
    keyUsePolicyArn: keyUse!.Arn!,
    catalogPolicyArn: catalog!.Arn!,
  };
}

/** A bucket in the given region: S3 wants the request signed for the region it names. */
async function createBucket(moto: MotoServer, bucket: string, region = MOTO_REGION): Promise<void> {
  const s3 = new S3Client({ endpoint: moto.endpoint, region, credentials: moto.admin, forcePathStyle: true });
  try {
    await s3.send(
      new CreateBucketCommand({
        Bucket: bucket,
        ...(region === MOTO_REGION
          ? {}
          : { CreateBucketConfiguration: { LocationConstraint: region as BucketLocationConstraint } }),
      }),
    );
  } finally {
    s3.destroy();
  }
}

/** Detaches one of the role's policies, as a user revoking access would. */
export async function detachRolePolicy(
  moto: MotoServer,
  target: ExportTarget,
  policyArn: string,
): Promise<void> {
  const { iam } = adminClients(moto);
  await iam.send(new DetachRolePolicyCommand({ RoleName: target.roleName, PolicyArn: policyArn }));
}

/**
 * snapex's snapshot store: a bucket of its own that its service identity (not a caller's role) reads
 * and writes, as the README tells operators to set it up.
 */
export async function createSnapshotStore(moto: MotoServer, bucket: string): Promise<S3Client> {
  await ensureServiceIdentity(moto);
  const { s3, iam } = adminClients(moto);
  await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  await iam.send(
    new PutUserPolicyCommand({
      UserName: 'snapex-service',
      PolicyName: `snapshot-store-${bucket}`,
      PolicyDocument: JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Action: [
              's3:GetObject',
              's3:PutObject',
              's3:DeleteObject',
              's3:ListBucket',
              's3:AbortMultipartUpload',
            ],
            Resource: [`arn:aws:s3:::${bucket}`, `arn:aws:s3:::${bucket}/*`],
          },
        ],
      }),
    }),
  );
  return s3;
}
