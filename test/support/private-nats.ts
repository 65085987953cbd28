import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect } from 'nats';
import { NATS_URL } from '../registry/registry-stack';

export interface NatsServer {
  url: string;
  /** Ends the server at once, as a crash or a lost host would; its JetStream store stays on disk. */
  kill(): Promise<void>;
  /** Starts the server again on the same port and store, after kill(). */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * A NATS server with JetStream of this suite's own. Every registry answers the same request/reply
 * subjects, so suites that run side by side on one server would answer each other's gateways; a
 * server per suite keeps them apart, and a suite may take it down. Without a nats-server binary the
 * shared server is used, and it cannot be taken down.
 */
export async function startPrivateNats(): Promise<NatsServer> {
  const binary = process.env.SNAPEX_TEST_NATS_SERVER ?? 'nats-server';
  if (spawnSync(binary, ['--version'], { stdio: 'ignore' }).status !== 0) {
    console.warn(`${binary} not found; using ${NATS_URL}, so run these suites one at a time`);
    const unavailable = async () => {
      throw new Error(`${binary} not found: the shared NATS server cannot be taken down`);
    };
    return { url: NATS_URL, kill: unavailable, restart: unavailable, stop: async () => undefined };
  }
  const port = await freePort();
  const storeDir = mkdtempSync(join(tmpdir(), 'snapex-nats-'));
  const url = `nats://127.0.0.1:${port}`;
  const server = await natsProcess(
    binary,
    ['-a', '127.0.0.1', '-p', String(port), '-js', '-sd', storeDir],
    url,
  );
  return {
    ...server,
    async stop() {
      await server.stop();
      rmSync(storeDir, { recursive: true, force: true });
    },
  };
}

export interface NatsCluster {
  /** Every node's client URL, separated by commas, as `nats.url` takes them. */
  url: string;
  nodes: (NatsServer & { name: string })[];
  user: string;
  password: string;
  stop(): Promise<void>;
}

/**
 * A JetStream cluster of `size` nodes on loopback, routed to each other, every client port asking
 * for one user and password. Needs the nats-server binary.
 */
export async function startNatsCluster(size = 3): Promise<NatsCluster> {
  const binary = process.env.SNAPEX_TEST_NATS_SERVER ?? 'nats-server';
  const [user, password] = ['snapex', randomBytes(12).toString('hex')];
  const storeDir = mkdtempSync(join(tmpdir(), 'snapex-nats-cluster-'));
  const ports = await Promise.all(
    Array.from({ length: size }, async () => [await freePort(), await freePort()]),
  );
  const routes = ports.map(([, route]) => `nats://127.0.0.1:${route}`).join(',');
  const nodes = await Promise.all(
    ports.map(async ([client, route], n) => {
      const name = `n${n}`;
      const args = ['-a', '127.0.0.1', '-p', String(client), '-js', '-sd', join(storeDir, name)];
      args.push(
        '--server_name',
        name,
        '--cluster_name',
        'snapex-test',
        '--cluster',
        `nats://127.0.0.1:${route}`,
      );
      args.push('--routes', routes, '--user', user, '--pass', password);
      const url = `nats://127.0.0.1:${client}`;
      return { name, ...(await natsProcess(binary, args, url, { user, pass: password })) };
    }),
  );
  await untilJetStreamClustered(nodes[0].url, { user, pass: password });
  return {
    url: nodes.map((node) => node.url).join(','),
    nodes,
    user,
    password,
    async stop() {
      await Promise.all(nodes.map((node) => node.stop()));
      rmSync(storeDir, { recursive: true, force: true });
    },
  };
}

/** A nats-server process that can be killed as a crash would, and started again on the same store. */
async function natsProcess(binary: string, args: string[], url: string, auth?: Auth): Promise<NatsServer> {
  const launch = async () => {
    const child = spawn(binary, args, { stdio: 'ignore' });
    await waitUntilServing(url, child, auth);
    return child;
  };
  let child = await launch();
  const end = async (signal: NodeJS.Signals) => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill(signal);
    await exited;
  };
  return {
    url,
    kill: () => end('SIGKILL'),
    async restart() {
      child = await launch();
    },
    stop: () => end('SIGTERM'),
  };
}

/** Until the cluster has elected its JetStream meta leader and answers account requests. */
async function untilJetStreamClustered(url: string, auth: Auth): Promise<void> {
  const connection = await connect({ servers: url, ...auth });
  try {
    const deadline = Date.now() + 30_000;
    for (;;) {
      try {
        await (await connection.jetstreamManager({ timeout: 2000 })).getAccountInfo();
        return;
      } catch (error) {
        if (Date.now() > deadline) throw error;
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
    }
  } finally {
    await connection.close();
  }
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

type Auth = { user: string; pass: string };

async function waitUntilServing(url: string, child: ChildProcess, auth?: Auth): Promise<void> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    try {
      const connection = await connect({ servers: url, reconnect: false, ...auth });
      await connection.close();
      return;
    } catch (error) {
      if (child.exitCode !== null || Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}
