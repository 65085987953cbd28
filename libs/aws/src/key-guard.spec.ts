import { KeyMetadata, KMSClient } from '@aws-sdk/client-kms';
import { KeyGuard, keyStateRefusal, KeyUnusableError } from './key-guard';

const ENABLED: KeyMetadata = {
  KeyId: 'k',
  Enabled: true,
  KeyState: 'Enabled',
  KeySpec: 'SYMMETRIC_DEFAULT',
  KeyUsage: 'ENCRYPT_DECRYPT',
};

function kmsAnswering(answer: () => Promise<{ KeyMetadata?: KeyMetadata }>) {
  const calls: unknown[] = [];
  const kms = { send: (command: unknown) => (calls.push(command), answer()) } as unknown as KMSClient;
  return { kms, calls };
}

describe('KMS key usability', () => {
  it('refuses disabled, pending deletion and asymmetric keys with the codes S3 uses', () => {
    expect(keyStateRefusal(ENABLED)).toBeNull();
    expect(keyStateRefusal({ ...ENABLED, Enabled: false, KeyState: 'Disabled' })).toBe(
      'KMS.DisabledException',
    );
    expect(keyStateRefusal({ ...ENABLED, Enabled: false, KeyState: 'PendingDeletion' })).toBe(
      'KMS.KMSInvalidStateException',
    );
    expect(keyStateRefusal({ ...ENABLED, KeySpec: 'RSA_2048' })).toBe('KMS.InvalidKeyUsageException');
    expect(keyStateRefusal({ ...ENABLED, KeyUsage: 'SIGN_VERIFY' })).toBe('KMS.InvalidKeyUsageException');
  });

  it('checks a key once per trust period and refuses writes once the key is disabled', async () => {
    let state: KeyMetadata = ENABLED;
    const { kms, calls } = kmsAnswering(async () => ({ KeyMetadata: state }));
    let now = 0;
    const guard = new KeyGuard(kms, 1000, () => now);
    await guard.assertUsable('k');
    await guard.assertUsable('k');
    expect(calls).toHaveLength(1);
    state = { ...ENABLED, Enabled: false, KeyState: 'Disabled' };
    now = 1000;
    await expect(guard.assertUsable('k')).rejects.toEqual(new KeyUnusableError('KMS.DisabledException', 'k'));
    expect(calls).toHaveLength(2);
  });

  it('turns KMS refusing the role into a KMS code, and lets transient failures through unchanged', async () => {
    const denied = Object.assign(new Error('denied'), {
      name: 'AccessDeniedException',
      $metadata: { httpStatusCode: 400 },
    });
    await expect(
      new KeyGuard(kmsAnswering(() => Promise.reject(denied)).kms, 1000).assertUsable('k'),
    ).rejects.toMatchObject({
      Code: 'KMS.AccessDeniedException',
    });
    const throttled = Object.assign(new Error('slow'), {
      name: 'ThrottlingException',
      $metadata: { httpStatusCode: 400 },
    });
    await expect(
      new KeyGuard(kmsAnswering(() => Promise.reject(throttled)).kms, 1000).assertUsable('k'),
    ).rejects.toBe(throttled);
  });
});
