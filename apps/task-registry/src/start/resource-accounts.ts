import { Fault, FaultCode } from '@snapex/contracts';
import { AccountTrust } from '@snapex/config';

/** The account in an IAM or KMS ARN; undefined for a bare key id or alias name, which KMS resolves in the role's account. */
export function accountOfArn(arn: string): string | undefined {
  const [prefix, , , , account] = arn.split(':');
  return prefix === 'arn' && /^\d{12}$/.test(account ?? '') ? account : undefined;
}

interface ResourceKind {
  fault: FaultCode;
  /** How the message names it: in full, in short, and several of them. */
  name: string;
  short: string;
  many: string;
}

const ROLE: ResourceKind = {
  fault: 'IamRoleMissingPermissions',
  name: 'IAM role',
  short: 'role',
  many: 'roles',
};
const KEY: ResourceKind = { fault: 'KMSKeyNotAccessibleFault', name: 'KMS key', short: 'key', many: 'keys' };

/**
 * An export acts only with the caller's own role and key, unless the account that owns them trusts
 * the caller: otherwise one account could have snapex write with another's role, into another's bucket.
 */
export function checkResourceAccounts(
  callerAccountId: string,
  resources: { iamRoleArn: string; kmsKeyId: string },
  trust: AccountTrust,
): void {
  checkOwner(callerAccountId, resources.iamRoleArn, ROLE, trust);
  checkOwner(callerAccountId, resources.kmsKeyId, KEY, trust);
}

function checkOwner(callerAccountId: string, arn: string, kind: ResourceKind, trust: AccountTrust): void {
  const owner = accountOfArn(arn);
  if (owner && !trust.mayUse(callerAccountId, owner)) {
    throw new Fault(
      kind.fault,
      `The ${kind.name} ${arn} belongs to account ${owner}, which does not allow account ${callerAccountId} ` +
        `to export with its ${kind.many}. Use a ${kind.short} of your own account.`,
    );
  }
}
