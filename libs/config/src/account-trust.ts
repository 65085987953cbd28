import { SnapexConfig } from './config.schema';

/**
 * Which accounts may use another account's IAM roles and KMS keys: an account's own resources are
 * always its own to use; another's only when that account lists the caller in `trustedAccounts`.
 */
export class AccountTrust {
  private readonly trusted: ReadonlyMap<string, ReadonlySet<string>>;

  constructor(config: Pick<SnapexConfig, 'accounts'>) {
    this.trusted = new Map(config.accounts.map((account) => [account.id, new Set(account.trustedAccounts)]));
  }

  mayUse(callerAccountId: string, ownerAccountId: string): boolean {
    return (
      callerAccountId === ownerAccountId || (this.trusted.get(ownerAccountId)?.has(callerAccountId) ?? false)
    );
  }
}
