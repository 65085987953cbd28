import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { CreateKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import { findMotoServer, freePort, MOTO_ACCOUNT, MOTO_REGION } from '../../scripts/local-stack/moto';

/**
 * The KMS API next to RGW, which has none: moto_server without IAM enforcement, because the
 * credentials RGW's STS issues mean nothing to moto's IAM. Role and key permissions are proven
 * against the enforcing moto; this endpoint answers the key checks snapex makes as the role.
 */
export interface KmsEndpoint {
  endpoint: string;
  /** A symmetric key and the 32 bytes RGW is to encrypt with under its ARN. */
  createKey(): Promise<{ arn: string; material: Buffer }>;
  stop(): Promise<void>;
}

async function waitUntilAnswering(endpoint: string): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    try {
      await fetch(`${endpoint}/moto-api/`);
      return;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
  throw new Error(`moto_server did not answer at ${endpoint}`);
}

export async function startKmsEndpoint(): Promise<KmsEndpoint> {
  const port = await freePort();
  const endpoint = `http://127.0.0.1:${port}`;
  const child = spawn(findMotoServer(), ['-H', '127.0.0.1', '-p', String(port)], {
    env: { ...process.env, MOTO_ACCOUNT_ID: MOTO_ACCOUNT },
    stdio: 'ignore',
  });
  await waitUntilAnswering(endpoint);
  const kms = new KMSClient({
    endpoint,
    region: MOTO_REGION,
    credentials: { accessKeyId: 'kms-admin', secretAccessKey: 'kms-admin' },
  });
  return {
    endpoint,
    createKey: async () => {
      const { KeyMetadata } = await kms.send(new CreateKeyCommand({ Description: 'RGW export key' }));
      return { arn: KeyMetadata!.Arn!, material: randomBytes(32) };
    },
    stop: () =>
      new Promise<void>((resolve) => {
        kms.destroy();
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
