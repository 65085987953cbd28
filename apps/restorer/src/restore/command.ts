import { spawn } from 'node:child_process';
import { Duplex, Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

/** A client program and how to run it; secrets travel in env, never in args. */
export interface Command {
  program: string;
  args: string[];
  env: Record<string, string>;
}

const STDERR_TAIL_CHARS = 2000;

export class CommandFailedError extends Error {
  constructor(
    readonly program: string,
    readonly exitCode: number | null,
    readonly stderr: string,
  ) {
    super(`${program} exited with code ${exitCode ?? 'none (killed)'}${stderr ? `: ${stderr}` : ''}`);
    this.name = 'CommandFailedError';
  }
}

interface Running {
  stdin: NodeJS.WritableStream | null;
  stdout: Readable | null;
  exited: Promise<void>;
}

function start(command: Command, io: { stdin: boolean; stdout: boolean }, signal: AbortSignal): Running {
  const child = spawn(command.program, command.args, {
    env: { ...process.env, ...command.env },
    // Aborting kills the program (SIGTERM), so a canceled restore stops writing at once.
    signal,
    stdio: [io.stdin ? 'pipe' : 'ignore', io.stdout ? 'pipe' : 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-STDERR_TAIL_CHARS);
  });
  const exited = new Promise<void>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) =>
      code === 0 ? resolve() : reject(new CommandFailedError(command.program, code, stderr.trim())),
    );
  });
  return { stdin: child.stdin, stdout: child.stdout, exited };
}

/** The program's own failure explains more than the broken pipe it causes, so it wins. */
async function settle(exits: Promise<void>[], feeds: Promise<void>[]): Promise<void> {
  const results = await Promise.allSettled([...exits, ...feeds]);
  const failure = results.find((result) => result.status === 'rejected');
  if (failure) throw (failure as PromiseRejectedResult).reason;
}

/** Runs a program to completion, feeding it `input` on stdin (through `edits`, in order) when given. */
export async function runCommand(
  command: Command,
  signal: AbortSignal,
  input?: Readable,
  edits: Duplex[] = [],
): Promise<void> {
  const running = start(command, { stdin: input !== undefined, stdout: false }, signal);
  const feeds = input && running.stdin ? [pipeline([input, ...edits, running.stdin], { signal })] : [];
  await settle([running.exited], feeds);
}

/** Runs `producer | consumer`, the producer's output streamed into the consumer through `edits`, in order. */
export async function runPiped(
  producer: Command,
  consumer: Command,
  signal: AbortSignal,
  edits: Duplex[] = [],
): Promise<void> {
  const from = start(producer, { stdin: false, stdout: true }, signal);
  const to = start(consumer, { stdin: true, stdout: false }, signal);
  await settle([from.exited, to.exited], [pipeline([from.stdout!, ...edits, to.stdin!], { signal })]);
}
