import { CONTROL_CHARACTER, CONTROL_CHARACTER_PROBLEM, Fault } from '@snapex/contracts';
import { z } from 'zod';

type ParameterPath = (string | number)[];

/**
 * Checks a request body against its action's schema and names the parameter at fault. A parameter
 * given as JSON null counts as absent. No string anywhere in the body may hold a control character,
 * whatever the schema says of it.
 */
export function parseInput<S extends z.ZodTypeAny>(schema: S, body: unknown): z.infer<S> {
  const input = withoutNulls(body);
  const controlled = controlCharacterPath(input);
  if (controlled) {
    throw new Fault(
      'InvalidParameterValue',
      `Invalid value for parameter ${parameterName(controlled)}: ${CONTROL_CHARACTER_PROBLEM}.`,
    );
  }
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  throw faultOf(parsed.error.issues[0]);
}

function withoutNulls(body: unknown): unknown {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return body;
  return Object.fromEntries(Object.entries(body).filter(([, value]) => value !== null));
}

interface Visit {
  value: unknown;
  key?: string | number;
  parent?: Visit;
}

/**
 * The first string holding a control character, shallowest first. Walked without recursion, so
 * that a body of deeply nested arrays cannot exhaust the stack.
 */
function controlCharacterPath(input: unknown): ParameterPath | undefined {
  const pending: Visit[] = [{ value: input }];
  for (let next = 0; next < pending.length; next++) {
    const visit = pending[next];
    if (typeof visit.value === 'string' && CONTROL_CHARACTER.test(visit.value)) return pathOf(visit);
    if (visit.value === null || typeof visit.value !== 'object') continue;
    const isList = Array.isArray(visit.value);
    for (const [key, value] of Object.entries(visit.value)) {
      pending.push({ value, key: isList ? Number(key) : key, parent: visit });
    }
  }
  return undefined;
}

function pathOf(visit: Visit): ParameterPath {
  const path: ParameterPath = [];
  for (let at: Visit | undefined = visit; at?.key !== undefined; at = at.parent) path.unshift(at.key);
  return path;
}

function faultOf(issue: z.ZodIssue): Fault {
  const name = parameterName(issue.path);
  if (issue.code === 'invalid_type') return typeFault(name, issue);
  if (issue.code === 'unrecognized_keys') {
    return new Fault(
      'InvalidParameterValue',
      `Unknown parameter ${parameterName([...issue.path, issue.keys[0]])}.`,
    );
  }
  if (issue.code === 'invalid_enum_value') {
    return new Fault(
      'InvalidParameterValue',
      `Invalid value for parameter ${name}: must be one of ${issue.options.join(', ')}.`,
    );
  }
  return new Fault('InvalidParameterValue', `Invalid value for parameter ${name}: ${issue.message}.`);
}

function typeFault(name: string, issue: z.ZodInvalidTypeIssue): Fault {
  if (issue.received === 'undefined' || issue.received === 'null') {
    return new Fault('MissingParameter', `The request must contain the parameter ${name}.`);
  }
  return new Fault(
    'InvalidParameterValue',
    `Invalid type for parameter ${name}: expected ${issue.expected}, got ${issue.received}.`,
  );
}

/** `Filters[0].Values`, the way a caller would point at the parameter. */
function parameterName(path: ParameterPath): string {
  return path
    .map((part, index) => (typeof part === 'number' ? `[${part}]` : index === 0 ? part : `.${part}`))
    .join('');
}
