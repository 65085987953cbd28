import { Fault } from '@snapex/contracts';

/** An empty body stands for an action without parameters. */
export function parseJsonObject(text: string): Record<string, unknown> {
  if (text.trim().length === 0) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new Fault('InvalidParameterValue', 'The request body is not valid JSON.');
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new Fault('InvalidParameterValue', 'The request body must be a JSON object.');
  }
  return parsed as Record<string, unknown>;
}
