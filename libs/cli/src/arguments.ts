import { Filter } from '@aws-sdk/client-rds';

export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/**
 * `--filters` as the AWS CLI takes it: shorthand `Name=status,Values=starting,failed` (one filter per
 * argument) or JSON, `[{"Name":"status","Values":["starting"]}]`.
 */
export function parseFilters(arguments_: string[]): Filter[] {
  return arguments_.flatMap((argument) =>
    /^\s*[[{]/.test(argument) ? jsonFilters(argument) : [shorthandFilter(argument)],
  );
}

function jsonFilters(argument: string): Filter[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(argument);
  } catch {
    throw new UsageError(`--filters: ${argument} is not valid JSON.`);
  }
  const filters = Array.isArray(parsed) ? parsed : [parsed];
  return filters.map((filter) => {
    if (!isFilter(filter)) throw new UsageError('--filters: each filter needs a Name and a list of Values.');
    return { Name: filter.Name, Values: filter.Values };
  });
}

function isFilter(value: unknown): value is { Name: string; Values: string[] } {
  const candidate = value as { Name?: unknown; Values?: unknown } | null;
  return (
    typeof candidate?.Name === 'string' &&
    Array.isArray(candidate.Values) &&
    candidate.Values.every((item) => typeof item === 'string')
  );
}

/** `Name=status,Values=starting,failed`: a value without `=` continues the list of the key before it. */
function shorthandFilter(argument: string): Filter {
  const fields = new Map<string, string[]>();
  let key: string | undefined;
  for (const token of argument.split(',')) {
    const separator = token.indexOf('=');
    if (separator > 0) {
      key = token.slice(0, separator).trim();
      fields.set(key, [token.slice(separator + 1)]);
    } else if (key !== undefined) {
      fields.get(key)!.push(token);
    } else {
      throw new UsageError(`--filters: expected Name=<name>,Values=<value>,<value>… but got ${argument}.`);
    }
  }
  const name = fields.get('Name');
  const values = fields.get('Values')?.map((value) => value.replace(/^\[|\]$/g, ''));
  const unknown = [...fields.keys()].find((field) => field !== 'Name' && field !== 'Values');
  if (!name || name.length !== 1 || !values || unknown !== undefined) {
    throw new UsageError(`--filters: expected Name=<name>,Values=<value>,<value>… but got ${argument}.`);
  }
  return { Name: name[0], Values: values.filter((value) => value.length > 0) };
}

export function parseMaxRecords(text: string): number {
  if (!/^\d+$/.test(text)) throw new UsageError(`--max-records: expected an integer, got ${text}.`);
  return Number(text);
}
