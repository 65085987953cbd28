import { AccountTrust } from './account-trust';

const A = '123456789012';
const B = '210987654321';
const C = '333333333333';

describe('AccountTrust', () => {
  const trust = new AccountTrust({
    accounts: [
      { id: A, apiKeys: [], accessKeys: [], trustedAccounts: [B] },
      { id: B, apiKeys: [], accessKeys: [], trustedAccounts: [] },
      { id: C, apiKeys: [], accessKeys: [], trustedAccounts: [] },
    ],
  });

  it('lets every account use its own resources', () => {
    expect([A, B, C].map((account) => trust.mayUse(account, account))).toEqual([true, true, true]);
  });

  it('lets an account use the resources of an account that trusts it, and no others', () => {
    expect(trust.mayUse(B, A)).toBe(true);
    expect(trust.mayUse(A, B)).toBe(false);
    expect(trust.mayUse(C, A)).toBe(false);
    expect(trust.mayUse(B, '999999999999')).toBe(false);
  });
});
