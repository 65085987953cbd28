import { Fault } from '@snapex/contracts';
import { z } from 'zod';

/**
 * Checks a request body against its action's schema and names the parameter at fault. A parameter
 * given as JSON null counts as absent.
 */
export function parseInput<S extends z.ZodTypeAny>(schema: S, body: unknown): z.infer<S> {
  const parsed = schema.safeParse(withoutNulls(body));
  if (parsed.success) return parsed.data;
  throw faultOf(parsed.error.issues[0]);
}

function withoutNulls(body: unknown): unknown {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return body;
  return Object.fromEntries(Object.entries(body).filter(([, value]) => value !== null));
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
function parameterName(path: (string | number)[]): string {
  return path
    .map((part, index) => (typeof part === 'number' ? `[${part}]` : index === 0 ? part : `.${part}`))
    .join('');
}
