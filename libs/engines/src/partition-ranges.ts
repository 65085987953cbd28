import { PartitionRange, PartitioningInfo, SingleWorkerReason } from '@snapex/contracts';
import { PartitionPlan } from './engine';

/** A whole-table partition: small tables are not worth cutting, and tables without a key cannot be. */
export function wholeTable(singleWorkerReason?: SingleWorkerReason): PartitionPlan {
  return {
    ranges: [null],
    info: { numberOfPartitions: 1, constraintType: 'NONE', partitionColumns: [] },
    ...(singleWorkerReason ? { singleWorkerReason } : {}),
  };
}

/** Consecutive ranges over sorted, distinct boundaries: first lower and last upper bound left open. */
export function rangesBetween(
  column: string,
  constraintType: PartitionRange['constraintType'],
  boundaries: readonly string[],
): PartitionRange[] {
  const edges: (string | null)[] = [null, ...boundaries, null];
  return edges
    .slice(0, -1)
    .map((lower, index) => ({ column, constraintType, lower, upper: edges[index + 1] }));
}

function compareIntegers(a: string, b: string): number {
  const difference = BigInt(a) - BigInt(b);
  return difference === 0n ? 0 : difference < 0n ? -1 : 1;
}

/** Sorted distinct values, so skewed keys (many equal quantiles) make fewer, not empty, ranges. */
export function distinctSorted(values: readonly string[]): string[] {
  return [...new Set(values)].sort(compareIntegers);
}

/** The values at the count-quantiles of a sample of integer keys (count - 1 of them). */
export function quantilesOf(sample: readonly string[], count: number): string[] {
  const sorted = [...sample].sort(compareIntegers);
  if (sorted.length === 0) return [];
  return Array.from({ length: count - 1 }, (_, index) => {
    const position = Math.ceil(((index + 1) / count) * sorted.length) - 1;
    return sorted[Math.min(Math.max(position, 0), sorted.length - 1)];
  });
}

export function partitioningInfo(
  numberOfPartitions: number,
  constraintType: PartitioningInfo['constraintType'],
  column: PartitioningInfo['partitionColumns'][number],
): PartitioningInfo {
  return { numberOfPartitions, constraintType, partitionColumns: [column] };
}

/** Ranges on an integer key, cut at the boundaries above its minimum (a boundary at min makes an empty first range). */
export function keyRangePlan(
  key: { name: string; type: string },
  bounds: { min: string; max: string },
  boundaries: readonly string[],
): PartitionPlan {
  const above = distinctSorted(boundaries).filter((value) => BigInt(value) > BigInt(bounds.min));
  const ranges = rangesBetween(key.name, 'PRIMARY_KEY', above);
  return {
    ranges,
    info: partitioningInfo(ranges.length, 'PRIMARY_KEY', {
      columnName: key.name,
      columnType: key.type,
      ...bounds,
    }),
  };
}
