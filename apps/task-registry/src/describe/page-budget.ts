import { ExportTask } from '@snapex/contracts';

/**
 * A reply travels as one bus message (NATS allows 1 MiB by default), and a task can carry an ExportOnly
 * list of 200 KB. A page therefore stops short of this many bytes and goes on at its Marker, as RDS
 * allows a page to hold fewer than MaxRecords tasks.
 */
export const MAX_PAGE_BYTES = 512 * 1024;

/** How many of the tasks, in order, fit in one page; always at least one. */
export function tasksThatFit(tasks: ExportTask[], maxBytes = MAX_PAGE_BYTES): number {
  let bytes = 0;
  let count = 0;
  for (const task of tasks) {
    bytes += Buffer.byteLength(JSON.stringify(task), 'utf8');
    if (count > 0 && bytes > maxBytes) break;
    count += 1;
  }
  return count;
}
