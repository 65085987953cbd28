import { DescribeKeyCommand, KeyMetadata, KMSClient } from '@aws-sdk/client-kms';
import { awsErrorCode, isTransientAwsError } from './aws-errors';

/**
 * Why a key cannot encrypt an export's objects, as the code S3 answers a write with SSE-KMS under
 * such a key; null when it can. The key must be enabled, symmetric and made for encryption.
 */
export function keyStateRefusal(key: KeyMetadata): string | null {
  if (key.KeyState === 'Disabled') return 'KMS.DisabledException';
  if (key.KeyState !== 'Enabled' || key.Enabled === false) return 'KMS.KMSInvalidStateException';
  const symmetric = (key.KeySpec ?? 'SYMMETRIC_DEFAULT') === 'SYMMETRIC_DEFAULT';
  const forEncryption = (key.KeyUsage ?? 'ENCRYPT_DECRYPT') === 'ENCRYPT_DECRYPT';
  return symmetric && forEncryption ? null : 'KMS.InvalidKeyUsageException';
}

/** The caller's KMS key cannot encrypt a write snapex is about to send; `Code` is S3's code for it. */
export class KeyUnusableError extends Error {
  constructor(
    readonly Code: string,
    readonly keyId: string,
  ) {
    super(`KMS key ${keyId} cannot encrypt the export's objects: ${Code}`);
    this.name = 'KeyUnusableError';
  }
}

interface Verdict {
  checkedAt: number;
  refusal: KeyUnusableError | null;
}

/**
 * Checks, as the role, that the key an object is to be encrypted with is still usable before the
 * write is sent, and trusts the answer for a while. S3 on AWS refuses such writes itself; an object
 * store with a key service of its own (Ceph RGW, MinIO) would go on encrypting after the caller
 * disabled the key in KMS.
 */
export class KeyGuard {
  private readonly verdicts = new Map<string, Verdict>();

  constructor(
    private readonly kms: KMSClient,
    private readonly trustMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  async assertUsable(keyId: string): Promise<void> {
    const known = this.verdicts.get(keyId);
    const verdict = known && this.now() - known.checkedAt < this.trustMs ? known : await this.check(keyId);
    if (verdict.refusal) throw verdict.refusal;
  }

  private async check(keyId: string): Promise<Verdict> {
    let refusal: string | null;
    try {
      const { KeyMetadata: key } = await this.kms.send(new DescribeKeyCommand({ KeyId: keyId }));
      refusal = key ? keyStateRefusal(key) : 'KMS.NotFoundException';
    } catch (error) {
      if (isTransientAwsError(error)) throw error;
      refusal = `KMS.${awsErrorCode(error)}`;
    }
    const verdict = {
      checkedAt: this.now(),
      refusal: refusal ? new KeyUnusableError(refusal, keyId) : null,
    };
    this.verdicts.set(keyId, verdict);
    return verdict;
  }
}
