import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { SnapexConfig, SnapexConfigSchema } from './config.schema';

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

/**
 * Secrets never sit in the file itself: a string `env:NAME` is replaced by that environment
 * variable and `file:/path` by the trimmed contents of that file.
 */
function resolveReferences(value: unknown, path: string, env: NodeJS.ProcessEnv): unknown {
  if (typeof value === 'string') return resolveReference(value, path, env);
  if (Array.isArray(value))
    return value.map((item, index) => resolveReferences(item, `${path}.${index}`, env));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [
        key,
        resolveReferences(item, path ? `${path}.${key}` : key, env),
      ]),
    );
  }
  return value;
}

function resolveReference(value: string, path: string, env: NodeJS.ProcessEnv): string {
  if (value.startsWith('env:')) {
    const name = value.slice('env:'.length);
    const resolved = env[name];
    if (resolved === undefined || resolved === '') {
      throw new ConfigError(`config: ${path}: environment variable ${name} is not set`);
    }
    return resolved;
  }
  if (value.startsWith('file:')) {
    const file = value.slice('file:'.length);
    try {
      return readFileSync(file, 'utf8').trim();
    } catch (error) {
      throw new ConfigError(`config: ${path}: cannot read secret file ${file}: ${(error as Error).message}`);
    }
  }
  return value;
}

function describeIssues(error: z.ZodError): string {
  return error.issues.flatMap(describeIssue).join('\n');
}

/** A misspelt setting would otherwise be ignored silently: each unknown key gets a line of its own. */
function describeIssue(issue: z.ZodIssue): string[] {
  if (issue.code === z.ZodIssueCode.unrecognized_keys) {
    return issue.keys.map((key) => `config: ${[...issue.path, key].join('.')}: unknown setting`);
  }
  return [`config: ${issue.path.join('.') || '(root)'}: ${issue.message}`];
}

export function parseConfig(raw: unknown, env: NodeJS.ProcessEnv = process.env): SnapexConfig {
  const parsed = SnapexConfigSchema.safeParse(resolveReferences(raw, '', env));
  if (!parsed.success) throw new ConfigError(describeIssues(parsed.error));
  return parsed.data;
}

/** Reads the file named by SNAPEX_CONFIG (default ./snapex.yaml). */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): SnapexConfig {
  const file = env.SNAPEX_CONFIG ?? 'snapex.yaml';
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new ConfigError(`config: cannot read ${file} (set SNAPEX_CONFIG): ${(error as Error).message}`);
  }
  let raw: unknown;
  try {
    raw = parseYaml(text);
  } catch (error) {
    throw new ConfigError(`config: ${file} is not valid YAML: ${(error as Error).message}`);
  }
  return parseConfig(raw, env);
}

/** A section a service cannot run without; refuses to start naming the setting. */
export function requireSection<K extends keyof SnapexConfig>(
  config: SnapexConfig,
  key: K,
): NonNullable<SnapexConfig[K]> {
  const section = config[key];
  if (section === undefined || section === null) {
    throw new ConfigError(`config: ${String(key)}: required by this service but missing`);
  }
  return section as NonNullable<SnapexConfig[K]>;
}
