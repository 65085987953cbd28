import { PermanentError } from '@snapex/bus';
import { spawn } from 'node:child_process';
import { PassThrough, Readable } from 'node:stream';

/** A dump tool exited with an error: the same dump would fail again. */
export class DumpFailedError extends PermanentError {
  constructor(message: string) {
    super(message);
    this.name = 'DumpFailedError';
  }
}

export interface DumpProcess {
  /** The tool's standard output; it ends only if the tool succeeds and fails with its error otherwise. */
  output: Readable;
  /** Settles when the tool has exited: rejected with DumpFailedError unless it succeeded. */
  finished: Promise<void>;
  /** Stops the tool, e.g. when the upload of its output failed. */
  kill(): void;
}

const STDERR_TAIL_CHARS = 2000;

/**
 * Runs a dump tool with secrets in its environment (never in argv, where any local user could read
 * them). The output is withheld from its end until the exit status is known, so that a tool that dies
 * half-way aborts the upload instead of leaving a truncated dump looking complete.
 */
export function runDumpProcess(command: string, args: string[], env: Record<string, string>): DumpProcess {
  const child = spawn(command, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const output = quietOnError(new PassThrough());
  child.stdout.pipe(output, { end: false });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString('utf8')).slice(-STDERR_TAIL_CHARS);
  });
  const finished = new Promise<void>((resolve, reject) => {
    let settled = false;
    const fail = (failure: DumpFailedError) => {
      if (settled) return;
      settled = true;
      output.destroy(failure);
      reject(failure);
    };
    child.once('error', (error) =>
      fail(new DumpFailedError(`${command} could not be run: ${error.message}`)),
    );
    child.once('close', (code, signal) => {
      if (code === 0 && !settled) {
        settled = true;
        output.end();
        return resolve();
      }
      fail(new DumpFailedError(`${command} exited with ${code ?? signal}: ${lastLines(stderr)}`));
    });
  });
  // Whoever awaits `finished` sees the failure; this only keeps it from counting as unhandled meanwhile.
  finished.catch(() => undefined);
  return { output, finished, kill: () => child.kill('SIGTERM') };
}

/**
 * A stream that may fail before its reader starts reading: the reader still sees the error when it
 * reads (async iteration, pipeline), but a failure nobody listens to yet must not end the process.
 */
export function quietOnError<S extends Readable>(stream: S): S {
  stream.on('error', () => undefined);
  return stream;
}

function lastLines(text: string): string {
  return text.trim().split('\n').slice(-3).join(' ').trim() || 'no message';
}
