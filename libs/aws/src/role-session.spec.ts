import { AwsCredentialIdentity } from '@aws-sdk/types';
import { renewalMarginMs, RoleSession } from './role-session';

describe('a role session', () => {
  let now: number;
  let assumed: number;
  const sessionMs = 60_000;

  function assume(): Promise<AwsCredentialIdentity> {
    assumed += 1;
    return Promise.resolve({
      accessKeyId: `key-${assumed}`,
      secretAccessKey: 'secret',
      expiration: new Date(now + sessionMs),
    });
  }

  beforeEach(() => {
    now = 0;
    assumed = 0;
  });

  it('renews five minutes before expiry, or a quarter of a shorter session before', () => {
    expect(renewalMarginMs(3600)).toBe(300_000);
    expect(renewalMarginMs(900)).toBe(225_000);
    expect(renewalMarginMs(8)).toBe(2000);
  });

  it('keeps its credentials until they are about to expire, then assumes the role again', async () => {
    const session = new RoleSession(assume, 15_000, () => now);
    expect((await session.credentials()).accessKeyId).toBe('key-1');
    now = 44_000;
    expect((await session.credentials()).accessKeyId).toBe('key-1');
    now = 45_000;
    expect((await session.credentials()).accessKeyId).toBe('key-2');
    expect(assumed).toBe(2);
  });

  it('shares one AssumeRole among callers that need credentials at once', async () => {
    const session = new RoleSession(assume, 15_000, () => now);
    const all = await Promise.all([session.credentials(), session.credentials(), session.provider()]);
    expect(all.map((credentials) => credentials.accessKeyId)).toEqual(['key-1', 'key-1', 'key-1']);
    expect(assumed).toBe(1);
  });

  it('assumes the role afresh on renew(), and again after a failed attempt', async () => {
    let refuse = true;
    const session = new RoleSession(
      () => (refuse ? Promise.reject(new Error('AccessDenied')) : assume()),
      15_000,
      () => now,
    );
    await expect(session.credentials()).rejects.toThrow('AccessDenied');
    refuse = false;
    expect((await session.credentials()).accessKeyId).toBe('key-1');
    expect((await session.renew()).accessKeyId).toBe('key-2');
  });
});
