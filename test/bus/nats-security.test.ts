import {
  createAccount,
  createOperator,
  createUser,
  encodeAccount,
  encodeOperator,
  encodeUser,
  fmtCreds,
  KeyPair,
} from '@nats-io/jwt';
import { natsConnectionOptions, NatsConnectionHolder } from '@snapex/bus';
import { connect } from 'nats';
import { parseConfig } from '@snapex/config';
import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../support/private-nats';

const TOKEN = 'a-nats-token-of-this-test';

/** A CA, a server certificate for 127.0.0.1 and a client certificate, made with openssl. */
function certificates(dir: string) {
  const at = (name: string) => join(dir, name);
  const openssl = (...args: string[]) => execFileSync('openssl', args, { stdio: 'ignore' });
  openssl(
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-days',
    '1',
    '-subj',
    '/CN=snapex-test-ca',
    '-keyout',
    at('ca.key'),
    '-out',
    at('ca.crt'),
  );
  for (const [name, extension] of [
    ['server', 'subjectAltName=IP:127.0.0.1,DNS:localhost'],
    ['client', 'extendedKeyUsage=clientAuth'],
  ]) {
    openssl(
      'req',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-subj',
      `/CN=${name}`,
      '-keyout',
      at(`${name}.key`),
      '-out',
      at(`${name}.csr`),
    );
    writeFileSync(at(`${name}.ext`), `${extension}\n`);
    openssl(
      'x509',
      '-req',
      '-in',
      at(`${name}.csr`),
      '-CA',
      at('ca.crt'),
      '-CAkey',
      at('ca.key'),
      '-CAcreateserial',
      '-days',
      '1',
      '-extfile',
      at(`${name}.ext`),
      '-out',
      at(`${name}.crt`),
    );
  }
  return {
    ca: at('ca.crt'),
    cert: at('client.crt'),
    key: at('client.key'),
    serverCert: at('server.crt'),
    serverKey: at('server.key'),
  };
}

/** Ends a test's own nats-server and removes its folder. */
async function stopServer(server: ChildProcess | undefined, dir: string): Promise<void> {
  if (server && server.exitCode === null) {
    const exited = new Promise((resolve) => server.once('exit', resolve));
    server.kill('SIGTERM');
    await exited;
  }
  rmSync(dir, { recursive: true, force: true });
}

function natsSection(nats: Record<string, unknown>) {
  return parseConfig({ region: 'us-east-1', accounts: [{ id: '123456789012' }], nats }, {}).nats;
}

/** A server that asks for TLS with a client certificate signed by the test CA, and a token. */
describe('NATS over TLS with a client certificate and a token', () => {
  let dir: string;
  let server: ChildProcess;
  let url: string;
  let files: ReturnType<typeof certificates>;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'snapex-nats-tls-'));
    files = certificates(dir);
    const port = await freePort();
    url = `tls://127.0.0.1:${port}`;
    server = spawn(
      process.env.SNAPEX_TEST_NATS_SERVER ?? 'nats-server',
      [
        '-a',
        '127.0.0.1',
        '-p',
        String(port),
        '-js',
        '-sd',
        join(dir, 'js'),
        '--auth',
        TOKEN,
        '--tlsverify',
        '--tlscert',
        files.serverCert,
        '--tlskey',
        files.serverKey,
        '--tlscacert',
        files.ca,
      ],
      { stdio: 'ignore' },
    );
    await new Promise((resolve) => setTimeout(resolve, 500));
  });

  afterAll(() => stopServer(server, dir));

  async function opened(nats: Record<string, unknown>): Promise<NatsConnectionHolder> {
    return NatsConnectionHolder.open({ ...natsSection(nats) }, 'nats-security-test');
  }

  it('connects with the configured CA, client certificate and token, and reaches JetStream', async () => {
    const holder = await opened({
      url,
      tls: { caFile: files.ca, certFile: files.cert, keyFile: files.key },
      auth: { token: TOKEN },
    });
    try {
      expect((await holder.manager.getAccountInfo()).limits).toBeDefined();
      expect(holder.connection.info?.tls_required).toBe(true);
    } finally {
      await holder.connection.close();
    }
  });

  it('is refused with another token', async () => {
    await expect(
      opened({
        url,
        tls: { caFile: files.ca, certFile: files.cert, keyFile: files.key },
        auth: { token: 'wrong-token' },
      }),
    ).rejects.toMatchObject({ code: 'AUTHORIZATION_VIOLATION' });
  });

  it('is refused without a client certificate', async () => {
    // The server drops the handshake; a short connect timeout instead of the client's 20 s.
    const settings = natsSection({ url, tls: { caFile: files.ca }, auth: { token: TOKEN } });
    await expect(connect({ ...natsConnectionOptions(settings), timeout: 2000 })).rejects.toThrow();
  });
});

/** Every NATS and JetStream limit of an account or user lifted (-1): the test is about who may connect. */
const UNLIMITED = { subs: -1, data: -1, payload: -1 };
const UNLIMITED_ACCOUNT = {
  ...UNLIMITED,
  imports: -1,
  exports: -1,
  wildcards: true,
  conn: -1,
  leaf: -1,
  mem_storage: -1,
  disk_storage: -1,
  streams: -1,
  consumer: -1,
};

/** A server in operator (JWT) mode: one account with JetStream, whose user signs in with a creds file. */
describe('NATS in operator mode, with a creds file', () => {
  let dir: string;
  let server: ChildProcess;
  let url: string;
  let credsFile: string;

  /** A user of `account` in a creds file, as `nsc generate creds` writes it. */
  async function userCreds(account: KeyPair, name: string): Promise<string> {
    const user = createUser();
    const file = join(dir, `${name}.creds`);
    writeFileSync(file, fmtCreds(await encodeUser(name, user, account, UNLIMITED), user));
    return file;
  }

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'snapex-nats-jwt-'));
    const [operator, account, system] = [createOperator(), createAccount(), createAccount()];
    const operatorJwt = await encodeOperator('snapex-test', operator, {
      system_account: system.getPublicKey(),
    });
    const accountJwt = await encodeAccount(
      'snapex',
      account,
      { limits: UNLIMITED_ACCOUNT },
      { signer: operator },
    );
    const systemJwt = await encodeAccount('SYS', system, {}, { signer: operator });
    credsFile = await userCreds(account, 'snapex-services');
    const port = await freePort();
    url = `nats://127.0.0.1:${port}`;
    writeFileSync(
      join(dir, 'server.conf'),
      [
        `listen: 127.0.0.1:${port}`,
        `jetstream: { store_dir: "${join(dir, 'js')}" }`,
        `operator: ${operatorJwt}`,
        `system_account: ${system.getPublicKey()}`,
        'resolver: MEMORY',
        `resolver_preload: { ${account.getPublicKey()}: ${accountJwt}, ${system.getPublicKey()}: ${systemJwt} }`,
      ].join('\n'),
    );
    server = spawn(process.env.SNAPEX_TEST_NATS_SERVER ?? 'nats-server', ['-c', join(dir, 'server.conf')], {
      stdio: 'ignore',
    });
    await new Promise((resolve) => setTimeout(resolve, 500));
  });

  afterAll(() => stopServer(server, dir));

  it("signs in with the configured creds file and reaches the account's JetStream", async () => {
    const holder = await NatsConnectionHolder.open(
      natsSection({ url, auth: { credsFile } }),
      'nats-jwt-test',
    );
    try {
      expect((await holder.manager.getAccountInfo()).limits.max_streams).toBe(-1);
    } finally {
      await holder.connection.close();
    }
  });

  it('is refused with the creds of an account the operator did not sign', async () => {
    const stranger = await userCreds(createAccount(), 'stranger');
    await expect(
      NatsConnectionHolder.open(natsSection({ url, auth: { credsFile: stranger } }), 'nats-jwt-test'),
    ).rejects.toMatchObject({ code: 'AUTHORIZATION_VIOLATION' });
  });
});
