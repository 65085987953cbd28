import { Fault } from '@snapex/contracts';
import { QueryShape } from './query-shapes';

/**
 * Rebuilds an action's input object from flattened Query parameters, so that it can be checked by the
 * same schemas as a JSON body. Values keep their text where the shape cannot hold them (a list given
 * as one value, a number that is not one), and the schema names the parameter at fault.
 */
export function decodeQueryParameters(shape: QueryShape, parameters: Map<string, string>): unknown {
  const used = new Set<string>();
  const decoded = decodeMembers(shape, '', parameters, used) ?? {};
  const unknown = [...parameters.keys()].find((name) => !used.has(name));
  if (unknown !== undefined) throw new Fault('InvalidParameterValue', `Unknown parameter ${unknown}.`);
  return decoded;
}

function decode(
  shape: QueryShape,
  name: string,
  parameters: Map<string, string>,
  used: Set<string>,
): unknown {
  switch (shape.type) {
    case 'string':
      return take(name, parameters, used);
    case 'integer': {
      const text = take(name, parameters, used);
      return text !== undefined && /^-?\d{1,15}$/.test(text) ? Number(text) : text;
    }
    case 'boolean': {
      const text = take(name, parameters, used);
      return text === 'true' ? true : text === 'false' ? false : text;
    }
    case 'list':
      return decodeList(shape, name, parameters, used);
    case 'structure':
      return decodeMembers(shape, `${name}.`, parameters, used);
  }
}

function take(name: string, parameters: Map<string, string>, used: Set<string>): string | undefined {
  if (!parameters.has(name)) return undefined;
  used.add(name);
  return parameters.get(name);
}

function decodeMembers(
  shape: QueryShape,
  prefix: string,
  parameters: Map<string, string>,
  used: Set<string>,
): Record<string, unknown> | undefined {
  if (shape.type !== 'structure') return undefined;
  const decoded: Record<string, unknown> = {};
  for (const [member, memberShape] of Object.entries(shape.members)) {
    const value = decode(memberShape, `${prefix}${member}`, parameters, used);
    if (value !== undefined) decoded[member] = value;
  }
  return Object.keys(decoded).length > 0 ? decoded : undefined;
}

/** `Name.member.1`, `Name.member.2`, …; an empty list is sent as `Name=` with no value. */
function decodeList(
  shape: Extract<QueryShape, { type: 'list' }>,
  name: string,
  parameters: Map<string, string>,
  used: Set<string>,
): unknown {
  const whole = take(name, parameters, used);
  if (whole !== undefined) return whole === '' ? [] : whole;
  const prefix = `${name}.${shape.memberName}.`;
  const indexes = new Set<number>();
  for (const key of parameters.keys()) {
    if (!key.startsWith(prefix)) continue;
    const index = /^([1-9]\d{0,5})(?:\.|$)/.exec(key.slice(prefix.length));
    if (index) indexes.add(Number(index[1]));
  }
  if (indexes.size === 0) return undefined;
  const sorted = [...indexes].sort((a, b) => a - b);
  if (sorted[sorted.length - 1] !== sorted.length) {
    throw new Fault(
      'InvalidParameterValue',
      `The members of ${name} must be numbered 1, 2, 3… without gaps.`,
    );
  }
  return sorted.map((index) => decode(shape.member, `${prefix}${index}`, parameters, used));
}
