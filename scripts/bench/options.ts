/** What `npm run bench -- …` was asked for; flags win over the environment. */
export interface BenchOptions {
  rows: number;
  /** Rebuilds the dataset even when one of the right size is already there. */
  fresh: boolean;
  /** Only the read paths (the COPY floor and snapex's reader): no Parquet, no services. */
  readsOnly: boolean;
  out: string;
}

export const DEFAULT_ROWS = 5_000_000;

function flagValue(argv: readonly string[], name: string): string | undefined {
  const index = argv.indexOf(`--${name}`);
  if (index >= 0) return argv[index + 1];
  const inline = argv.find((arg) => arg.startsWith(`--${name}=`));
  return inline?.slice(name.length + 3);
}

function positiveInteger(text: string, what: string): number {
  const value = Number(text.replace(/_/g, ''));
  if (!Number.isInteger(value) || value <= 0)
    throw new Error(`${what} must be a positive integer, not ${text}`);
  return value;
}

export function benchOptions(argv: readonly string[], env: NodeJS.ProcessEnv): BenchOptions {
  const rows = flagValue(argv, 'rows') ?? env.SNAPEX_BENCH_ROWS;
  return {
    rows: rows === undefined ? DEFAULT_ROWS : positiveInteger(rows, '--rows'),
    fresh: argv.includes('--fresh'),
    readsOnly: argv.includes('--reads-only'),
    out: flagValue(argv, 'out') ?? 'bench-results.json',
  };
}
