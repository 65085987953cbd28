import {
  AttachRolePolicyCommand,
  CreateAccessKeyCommand,
  CreatePolicyCommand,
  CreateRoleCommand,
  CreateUserCommand,
  IAMClient,
  PutUserPolicyCommand,
} from '@aws-sdk/client-iam';
import { CreateKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { MOTO_ACCOUNT, MOTO_REGION, MotoServer } from './moto';

export interface ExportTarget {
  bucket: string;
  roleArn: string;
  kmsKeyArn: string;
  /** snapex's own identity: may only assume roles. */
  service: { accessKeyId: string; secretAccessKey: string; arn: string };
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

/** The seed's policy: the five S3 actions an export needs, on the bucket and its objects. */
export function exportPolicyDocument(
  bucket: string,
  actions = ['s3:PutObject*', 's3:ListBucket', 's3:GetObject*', 's3:DeleteObject*', 's3:GetBucketLocation'],
) {
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

let serviceIdentity: Promise<ExportTarget['service']> | undefined;

/** The IAM user snapex runs as; created once per moto server. */
export function ensureServiceIdentity(moto: MotoServer): Promise<ExportTarget['service']> {
  serviceIdentity ??= (async () => {
    const { iam } = adminClients(moto);
    await iam.send(new CreateUserCommand({ UserName: 'snapex-service' }));
    await iam.send(
      new PutUserPolicyCommand({
        UserName: 'snapex-service',
        PolicyName: 'assume-export-roles',
        PolicyDocument: JSON.stringify({
          Version: '2012-10-17',
          Statement: [
            { Effect: 'Allow', Action: 'sts:AssumeRole', Resource: `arn:aws:iam::${MOTO_ACCOUNT}:role/*` },
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
  return serviceIdentity;
}

/** A bucket, a symmetric KMS key and a role set up exactly as the seed tells users to. */
export async function createExportTarget(
  moto: MotoServer,
  name: string,
  options: { createBucket?: boolean } = {},
): Promise<ExportTarget> {
  const service = await ensureServiceIdentity(moto);
  const { iam, s3, kms } = adminClients(moto);
  const bucket = `${name}-bucket`;
  if (options.createBucket ?? true) await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  const { KeyMetadata } = await kms.send(new CreateKeyCommand({ Description: `${name} export key` }));
  const kmsKeyArn = KeyMetadata!.Arn!;
  const { Role } = await iam.send(
    new CreateRoleCommand({
      RoleName: `${name}-export-role`,
      AssumeRolePolicyDocument: JSON.stringify({
        Version: '2012-10-17',
        // snapex's own identity stands where RDS's service principal export.rds.amazonaws.com would.
        Statement: [{ Effect: 'Allow', Principal: { AWS: service.arn }, Action: 'sts:AssumeRole' }],
      }),
    }),
  );
  const { Policy } = await iam.send(
    new CreatePolicyCommand({
      PolicyName: `${name}-export-policy`,
      PolicyDocument: exportPolicyDocument(bucket),
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
            Action: [
              'kms:Encrypt',
              'kms:Decrypt',
              'kms:GenerateDataKey*',
              'kms:DescribeKey',
              'kms:ReEncrypt*',
            ],
            // moto authorizes KMS calls against resource "*", not the key ARN.
            Resource: '*',
          },
        ],
      }),
    }),
  );
  await iam.send(new AttachRolePolicyCommand({ RoleName: Role!.RoleName!, PolicyArn: keyUse!.Arn! }));
  return { bucket, roleArn: Role!.Arn!, kmsKeyArn, service };
}
