import { runCli } from '../../libs/cli/src/cli';
import { WatchSettings } from '../../libs/cli/src/watch';

export interface Captured {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the snapex command line in this process with `env` alone, capturing what it prints. */
export async function runSnapex(
  args: string[],
  env: NodeJS.ProcessEnv,
  watch: Partial<WatchSettings> = {},
): Promise<Captured> {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const code = await runCli(args, {
    stdout: { write: (text: string) => stdout.push(text) },
    stderr: { write: (text: string) => stderr.push(text) },
    env,
    watch,
  });
  return { code, stdout: stdout.join(''), stderr: stderr.join('') };
}
