import { ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/** Resolves when the process exits with 0; rejects with the tail of its stderr otherwise. */
export function exited(child: ChildProcess, what: string): Promise<void> {
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-2000);
  });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code, signal) =>
      code === 0 ? resolve() : reject(new Error(`${what} exited with ${code ?? signal}: ${stderr.trim()}`)),
    );
  });
}

/** Runs a compiled bench script in its own Node process and returns the JSON it prints last. */
export async function runNodeScript<T>(
  script: string,
  args: string[],
  env: NodeJS.ProcessEnv = process.env,
): Promise<T> {
  const child = spawn(process.execPath, [script, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env });
  let stdout = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  await exited(child, script);
  const lines = stdout.trim().split('\n');
  return JSON.parse(lines[lines.length - 1]) as T;
}

/** What a command used, as /usr/bin/time reports it once the command has exited. */
export interface CommandUsage {
  /** User + system CPU seconds, its own children included. */
  cpuSeconds: number;
  peakRssMiB: number;
}

export interface TimedChild {
  child: ChildProcess;
  /** Call once the command has exited. */
  usage(): CommandUsage;
}

/**
 * Runs `program` under /usr/bin/time, its standard output into `stdout` (a file or named pipe, which
 * the shell rather than Node opens, since opening a pipe blocks until its reader comes) or piped.
 */
export function spawnTimed(program: string, args: string[], stdout: string | 'pipe'): TimedChild {
  const timeFile = join(mkdtempSync(join(tmpdir(), 'snapex-bench-time-')), 'usage');
  const timed = ['/usr/bin/time', '-f', '%U %S %M', '-o', timeFile, program, ...args];
  const child =
    stdout === 'pipe'
      ? spawn(timed[0], timed.slice(1), { stdio: ['ignore', 'pipe', 'pipe'] })
      : spawn('sh', ['-c', 'out="$1"; shift; exec "$@" > "$out"', 'sh', stdout, ...timed], {
          stdio: ['ignore', 'ignore', 'pipe'],
        });
  return {
    child,
    usage: () => {
      const [user, system, maxKiB] = readFileSync(timeFile, 'utf8').trim().split('\n').pop()!.split(' ');
      rmSync(dirname(timeFile), { recursive: true, force: true });
      return { cpuSeconds: Number(user) + Number(system), peakRssMiB: Math.round(Number(maxKiB) / 1024) };
    },
  };
}
