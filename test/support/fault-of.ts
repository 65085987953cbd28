import { Fault } from '@snapex/contracts';

/** The fault a piece of work throws, or undefined when it throws none; other errors propagate. */
export function faultOf(work: () => unknown): Fault | undefined {
  try {
    work();
    return undefined;
  } catch (error) {
    if (error instanceof Fault) return error;
    throw error;
  }
}
