import type { Engine } from '@snapex/contracts';
import { PART_ENCODER_NAMES, PartEncoderName } from '@snapex/parquet';

/** What `npm run bench -- …` was asked for; flags win over the environment. */
export interface BenchOptions {
  rows: number;
  /** The engines measured, in this order. */
  engines: Engine[];
  /** snapex's encoders end to end; the default one and parquetjs when not given. */
  encoders: PartEncoderName[] | null;
  /** Rebuilds the dataset even when one of the right size is already there. */
  fresh: boolean;
  /** Only the read paths (the floor and snapex's reader): no Parquet, no services. */
  readsOnly: boolean;
  out: string;
}

export const DEFAULT_ROWS = 5_000_000;
const ENGINES: readonly Engine[] = ['postgres', 'mysql'];

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

function listOf(text: string | undefined): string[] | null {
  return text === undefined
    ? null
    : text
        .split(',')
        .map((item) => item.trim())
        .filter(Boolean);
}

function namesOf<N extends string>(
  text: string | undefined,
  allowed: readonly N[],
  flag: string,
): N[] | null {
  const names = listOf(text);
  for (const name of names ?? [])
    if (!allowed.includes(name as N)) throw new Error(`${flag} takes ${allowed.join(', ')}, not ${name}`);
  return names as N[] | null;
}

export function benchOptions(argv: readonly string[], env: NodeJS.ProcessEnv): BenchOptions {
  const rows = flagValue(argv, 'rows') ?? env.SNAPEX_BENCH_ROWS;
  return {
    rows: rows === undefined ? DEFAULT_ROWS : positiveInteger(rows, '--rows'),
    engines: namesOf(flagValue(argv, 'engines') ?? env.SNAPEX_BENCH_ENGINES, ENGINES, '--engines') ?? [
      ...ENGINES,
    ],
    encoders: namesOf(flagValue(argv, 'encoders'), PART_ENCODER_NAMES, '--encoders'),
    fresh: argv.includes('--fresh'),
    readsOnly: argv.includes('--reads-only'),
    out: flagValue(argv, 'out') ?? 'bench-results.json',
  };
}
