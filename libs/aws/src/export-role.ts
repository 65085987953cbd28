import { AssumeRoleCommandInput } from '@aws-sdk/client-sts';

/** The session tag that names the account an export runs for, as aws:SourceAccount does for AWS services. */
export const SOURCE_ACCOUNT_TAG = 'snapex:SourceAccount';
/** The session tag that names what the export reads, as aws:SourceArn does for AWS services. */
export const SOURCE_ARN_TAG = 'snapex:SourceArn';

/**
 * An export's IAM role as snapex assumes it: on behalf of one account, for one source. The role's
 * trust policy can hold snapex to both (README, Access and encryption), so that no account gets
 * snapex to act with a role that was not meant for it.
 */
export interface ExportRole {
  roleArn: string;
  /** The account that started the export: the ExternalId and the source-account tag. */
  callerAccountId: string;
  /** The export's SourceArn: the source-ARN tag. */
  sourceArn: string;
}

export function exportRoleOf(task: { iamRoleArn: string; accountId: string; sourceArn: string }): ExportRole {
  return { roleArn: task.iamRoleArn, callerAccountId: task.accountId, sourceArn: task.sourceArn };
}

/** Roles assumed for different accounts or sources are different sessions. */
export function exportRoleKey(role: ExportRole): string {
  return JSON.stringify([role.roleArn, role.callerAccountId, role.sourceArn]);
}

/**
 * The one AssumeRole request every service makes for an export. Session tags need sts:TagSession in
 * the trust policy; they are not transitive, as snapex never chains roles.
 */
export function assumeRoleInput(
  role: ExportRole,
  session: { name: string; seconds: number },
): AssumeRoleCommandInput {
  return {
    RoleArn: role.roleArn,
    RoleSessionName: session.name,
    DurationSeconds: session.seconds,
    ExternalId: role.callerAccountId,
    Tags: [
      { Key: SOURCE_ACCOUNT_TAG, Value: role.callerAccountId },
      { Key: SOURCE_ARN_TAG, Value: role.sourceArn },
    ],
  };
}
