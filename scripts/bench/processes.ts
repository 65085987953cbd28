import { ChildProcess, spawn, SpawnOptions } from 'node:child_process';

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

/** psql running one statement against the database at `url`, quiet and without reading ~/.psqlrc. */
export function psql(url: string, sql: string, options: SpawnOptions = {}): ChildProcess {
  return spawn('psql', ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-d', url, '-c', sql], {
    stdio: ['ignore', 'pipe', 'pipe'],
    ...options,
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
