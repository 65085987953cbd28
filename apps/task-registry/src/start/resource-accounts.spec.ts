import { AccountTrust } from '@snapex/config';
import { Fault } from '@snapex/contracts';
import { accountOfArn, checkResourceAccounts } from './resource-accounts';

const A = '123456789012';
const B = '210987654321';
const C = '333333333333';
const trust = new AccountTrust({
  accounts: [
    { id: A, apiKeys: [], accessKeys: [], trustedAccounts: [C] },
    { id: B, apiKeys: [], accessKeys: [], trustedAccounts: [] },
    { id: C, apiKeys: [], accessKeys: [], trustedAccounts: [] },
  ],
});

const roleOf = (account: string) => `arn:aws:iam::${account}:role/rds-s3-export-role`;
const keyOf = (account: string) =>
  `arn:aws:kms:us-east-1:${account}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;

function faultOf(caller: string, iamRoleArn: string, kmsKeyId: string): Fault | undefined {
  try {
    checkResourceAccounts(caller, { iamRoleArn, kmsKeyId }, trust);
    return undefined;
  } catch (error) {
    if (error instanceof Fault) return error;
    throw error;
  }
}

describe('the accounts of the role and key an export names', () => {
  it.each([
    ['arn:aws:iam::123456789012:role/a/b', A],
    ['arn:aws-us-gov:kms:us-gov-west-1:210987654321:alias/exports', B],
    ['1234abcd-12ab-34cd-56ef-1234567890ab', undefined],
    ['alias/exports', undefined],
  ])('reads the account of %s', (arn, account) => expect(accountOfArn(arn)).toBe(account));

  it("accepts the caller's own role and key, and a key given by id or alias name", () => {
    expect(faultOf(B, roleOf(B), keyOf(B))).toBeUndefined();
    expect(faultOf(B, roleOf(B), 'alias/exports')).toBeUndefined();
  });

  it("refuses another account's role, naming both accounts", () => {
    const fault = faultOf(B, roleOf(A), keyOf(B));
    expect(fault?.code).toBe('IamRoleMissingPermissions');
    expect(fault?.httpStatus).toBe(400);
    expect(fault?.message).toBe(
      `The IAM role ${roleOf(A)} belongs to account ${A}, which does not allow account ${B} to export with its roles. Use a role of your own account.`,
    );
  });

  it("refuses another account's key ARN or alias ARN with the caller's own role", () => {
    expect(faultOf(B, roleOf(B), keyOf(A))?.code).toBe('KMSKeyNotAccessibleFault');
    expect(faultOf(B, roleOf(B), `arn:aws:kms:us-east-1:${A}:alias/exports`)?.code).toBe(
      'KMSKeyNotAccessibleFault',
    );
  });

  it('accepts the role and key of an account that trusts the caller, and only that one', () => {
    expect(faultOf(C, roleOf(A), keyOf(A))).toBeUndefined();
    expect(faultOf(C, roleOf(B), keyOf(B))?.code).toBe('IamRoleMissingPermissions');
    expect(faultOf(A, roleOf(C), keyOf(C))?.code).toBe('IamRoleMissingPermissions');
  });
});
