import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import { createServer } from 'node:net';
import {
  AttachUserPolicyCommand,
  CreateAccessKeyCommand,
  CreateUserCommand,
  IAMClient,
} from '@aws-sdk/client-iam';

/**
 * moto_server as the S3 + KMS + STS + IAM endpoint, with IAM enforcement on: the first three calls
 * (free, by INITIAL_NO_AUTH_ACTION_COUNT) create an administrator, every later call must be signed
 * by a real IAM identity and is checked against its policies.
 */
export interface MotoServer {
  endpoint: string;
  port: number;
  admin: { accessKeyId: string; secretAccessKey: string };
  /** The server's process, for measurements. */
  pid: number | undefined;
  stop(): Promise<void>;
}

export const MOTO_REGION = 'us-east-1';
export const MOTO_ACCOUNT = '123456789012';
const FREE_BOOTSTRAP_CALLS = 3;

export function findMotoServer(): string {
  const found = spawnSync('sh', ['-c', 'command -v moto_server'], { encoding: 'utf8' });
  const path = found.stdout.trim();
  if (found.status !== 0 || !path) {
    throw new Error(
      'moto_server was not found on PATH. Install it with `pip install "moto[server]>=5"` ' +
        '(Python 3.11 through pyenv on the reference machines) and make sure its directory is on PATH.',
    );
  }
  return path;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

async function waitUntilUp(endpoint: string, child: ChildProcess, output: () => string): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`moto_server exited (${child.exitCode}): ${output()}`);
    try {
      const response = await fetch(`${endpoint}/moto-api/`);
      if (response.status < 500) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`moto_server did not answer at ${endpoint} within 30 s: ${output()}`);
}

export interface MotoOptions {
  /**
   * Check signatures and IAM policies (the default). moto 5 computes the SigV4 signature of an
   * object key holding `$` or non-ASCII characters differently from AWS, botocore and the JS SDK,
   * so tests of such names run with the checks off.
   */
  enforceAuth?: boolean;
}

export async function startMoto(options: MotoOptions = {}): Promise<MotoServer> {
  const binary = findMotoServer();
  const port = await freePort();
  const endpoint = `http://127.0.0.1:${port}`;
  let output = '';
  const auth =
    options.enforceAuth === false ? {} : { INITIAL_NO_AUTH_ACTION_COUNT: String(FREE_BOOTSTRAP_CALLS) };
  const child = spawn(binary, ['-H', '127.0.0.1', '-p', String(port)], {
    env: {
      ...process.env,
      ...auth,
      MOTO_IAM_LOAD_MANAGED_POLICIES: 'true',
      MOTO_ACCOUNT_ID: MOTO_ACCOUNT,
    },
    stdio: [
      'ignore',
      process.env.MOTO_DEBUG ? 'inherit' : 'pipe',
      process.env.MOTO_DEBUG ? 'inherit' : 'pipe',
    ],
  });
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-4000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  await waitUntilUp(endpoint, child, () => output);
  const admin = await bootstrapAdmin(endpoint);
  return {
    endpoint,
    port,
    admin,
    pid: child.pid,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

async function bootstrapAdmin(endpoint: string) {
  const iam = new IAMClient({
    endpoint,
    region: MOTO_REGION,
    credentials: { accessKeyId: 'bootstrap', secretAccessKey: 'bootstrap' },
  });
  await iam.send(new CreateUserCommand({ UserName: 'snapex-admin' }));
  await iam.send(
    new AttachUserPolicyCommand({
      UserName: 'snapex-admin',
      PolicyArn: 'arn:aws:iam::aws:policy/AdministratorAccess',
    }),
  );
  const { AccessKey } = await iam.send(new CreateAccessKeyCommand({ UserName: 'snapex-admin' }));
  iam.destroy();
  return { accessKeyId: AccessKey!.AccessKeyId!, secretAccessKey: AccessKey!.SecretAccessKey! };
}
