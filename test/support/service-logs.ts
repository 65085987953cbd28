import type { Stack } from '../../scripts/local-stack/stack';

/**
 * For afterEach: when the test that just ran failed, prints the tail of every service's log, which
 * is where an end-to-end failure explains itself.
 */
export function printLogsIfFailed(stack: Pick<Stack, 'services' | 'logs'> | undefined): void {
  const state = expect.getState();
  if (!stack || state.assertionCalls === state.numPassingAsserts) return;
  for (const service of stack.services)
    process.stderr.write(`--- ${service.name}\n${stack.logs(service.name).slice(-4000)}\n`);
}
