import { ChildProcess, spawn, spawnSync } from 'node:child_process';
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
  const launch = async () => {
    const child = spawn(binary, ['-a', '127.0.0.1', '-p', String(port), '-js', '-sd', storeDir], {
      stdio: 'ignore',
    });
    await waitUntilServing(url, child);
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
    async stop() {
      await end('SIGTERM');
      rmSync(storeDir, { recursive: true, force: true });
    },
  };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

async function waitUntilServing(url: string, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    try {
      const connection = await connect({ servers: url, reconnect: false });
      await connection.close();
      return;
    } catch (error) {
      if (child.exitCode !== null || Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}
