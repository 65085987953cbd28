import { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@aws-sdk/types';

const LONGEST_RENEWAL_MARGIN_MS = 5 * 60_000;

/**
 * How long before its expiry a session is renewed: five minutes, as the SDK does, or a quarter of a
 * session shorter than twenty minutes, so that a short session is not renewed on every request.
 */
export function renewalMarginMs(sessionSeconds: number): number {
  return Math.min(LONGEST_RENEWAL_MARGIN_MS, (sessionSeconds * 1000) / 4);
}

export type AssumeRole = () => Promise<AwsCredentialIdentity>;

/**
 * One role's temporary credentials, shared by every client that acts as the role: assumed on first
 * use and assumed again before they expire, so work that outlasts one session goes on. Concurrent
 * callers share one AssumeRole call.
 */
export class RoleSession {
  private current: AwsCredentialIdentity | undefined;
  private pending: Promise<AwsCredentialIdentity> | undefined;

  constructor(
    private readonly assume: AssumeRole,
    private readonly renewalMargin: number,
    private readonly now: () => number = Date.now,
  ) {}

  readonly provider: AwsCredentialIdentityProvider = () => this.credentials();

  async credentials(): Promise<AwsCredentialIdentity> {
    if (this.current && !this.expiresSoon(this.current)) return this.current;
    return this.renew();
  }

  /** Assumes the role now, whatever the current credentials: proves it can still be assumed. */
  renew(): Promise<AwsCredentialIdentity> {
    this.pending ??= this.assume()
      .then((credentials) => {
        this.current = credentials;
        return credentials;
      })
      .finally(() => {
        this.pending = undefined;
      });
    return this.pending;
  }

  private expiresSoon(credentials: AwsCredentialIdentity): boolean {
    if (!credentials.expiration) return false;
    return credentials.expiration.getTime() - this.now() <= this.renewalMargin;
  }
}
