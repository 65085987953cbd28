import { z } from 'zod';
import { ReadPointSchema } from '../events/work.v1';
import { PartitionRange, PartitionRangeSchema, TableDescriptionSchema, TableRefSchema } from './table-plan';

/**
 * One table as the restorer planned it: everything the registry needs to announce the table and
 * request its partitions, so that a plan once recorded is republished the same, never planned again.
 */
export const PlannedTableSchema = TableDescriptionSchema.extend({
  kind: z.literal('planned'),
  /** Partition n reads ranges[n - 1]; null reads the whole table. */
  ranges: z.array(PartitionRangeSchema.nullable()).min(1),
  readPoint: ReadPointSchema,
});
export type PlannedTable = z.infer<typeof PlannedTableSchema>;

export const SkippedTableSchema = z.object({
  kind: z.literal('skipped'),
  table: TableRefSchema,
  target: z.string(),
  reason: z.string(),
  detail: z.string().optional(),
});
export type SkippedTable = z.infer<typeof SkippedTableSchema>;

export const TablePlanEntrySchema = z.discriminatedUnion('kind', [PlannedTableSchema, SkippedTableSchema]);
export type TablePlanEntry = z.infer<typeof TablePlanEntrySchema>;

export const GeneralWarningSchema = z.object({ reason: z.string(), detail: z.string().optional() });

/** An ExportOnly entry that matched nothing in the source (WarningMessage's `skippedObjectives`). */
export const SkippedObjectiveSchema = z.object({
  objective: z.string(),
  reason: z.string(),
  detail: z.string().optional(),
});
export type SkippedObjective = z.infer<typeof SkippedObjectiveSchema>;

/**
 * Why a table's ranges do not cover its key space exactly once, or null when they do: the first range
 * opens below every key, the last is open above, and each range starts where the one before it ends.
 */
export function rangeTilingFault(ranges: readonly (PartitionRange | null)[]): string | null {
  if (ranges.length === 0) return 'it has no partitions';
  if (ranges.length === 1) {
    const [only] = ranges;
    return only === null || (only.lower === null && only.upper === null)
      ? null
      : 'its single partition does not cover every key';
  }
  if (ranges.some((range) => range === null)) return 'a whole-table partition is one of several';
  const bounded = ranges as readonly PartitionRange[];
  if (bounded[0].lower !== null) return `partition 1 starts at ${bounded[0].lower}, not below every key`;
  const last = bounded[bounded.length - 1];
  if (last.upper !== null) return `partition ${bounded.length} ends at ${last.upper}, not above every key`;
  for (let index = 0; index < bounded.length - 1; index++) {
    const fault = seamFault(bounded[index], bounded[index + 1], index + 1);
    if (fault) return fault;
  }
  return null;
}

function seamFault(range: PartitionRange, next: PartitionRange, partition: number): string | null {
  if (range.column !== next.column)
    return `partitions ${partition} and ${partition + 1} cut different columns`;
  if (range.upper === null || next.lower === null) return `partition ${partition} is open in the middle`;
  if (range.upper !== next.lower) {
    return `partition ${partition} ends at ${range.upper} but partition ${partition + 1} starts at ${next.lower}`;
  }
  if (range.lower !== null && !isBelow(range.lower, range.upper)) {
    return `partition ${partition} is empty or reversed (${range.lower} to ${range.upper})`;
  }
  return null;
}

/** Bounds are integers written as decimal strings (keys or page numbers). */
function isBelow(lower: string, upper: string): boolean {
  try {
    return BigInt(lower) < BigInt(upper);
  } catch {
    return lower < upper;
  }
}
