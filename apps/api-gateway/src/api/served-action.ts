import { QueryShape } from '../query/query-shapes';
import { RegistryClient } from './registry.client';

/** One action as both protocols serve it. */
export interface ServedAction {
  shape: QueryShape;
  /** Carries the action out; answers the JSON result. */
  run(registry: RegistryClient, accountId: string, body: unknown): Promise<Record<string, unknown>>;
  /** The JSON result as the content of `<{Action}Result>`. */
  xml(result: Record<string, unknown>): Record<string, unknown>;
}

export function withoutAbsent(fields: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined));
}
