import { z } from 'zod';

/**
 * Why a value the source holds was exported as NULL: `NO_INSTANT`, a DATETIME or TIMESTAMP that
 * names no instant (a zero date, a zero month or day, February 30 stored under ALLOW_INVALID_DATES);
 * `NOT_REPRESENTABLE`, in native types mode, a value its column's Parquet logical type cannot hold
 * (a numeric NaN or infinity, a date or timestamp at infinity or past INT64 microseconds, a MySQL TIME
 * outside 00:00:00 to 23:59:59.999999).
 */
export const NulledValueReasonSchema = z.enum(['NO_INSTANT', 'NOT_REPRESENTABLE']);
export type NulledValueReason = z.infer<typeof NulledValueReasonSchema>;

/** How many values of one column were exported as NULL for one reason. */
export const NulledValueCountSchema = z.object({
  column: z.string(),
  reason: NulledValueReasonSchema,
  count: z.number().int().positive(),
});
export type NulledValueCount = z.infer<typeof NulledValueCountSchema>;

const NULLED_VALUE_KINDS: Record<NulledValueReason, string> = {
  NO_INSTANT:
    'DATETIME or TIMESTAMP values that name no instant (a zero date, a zero month or day, or a day the month does not have)',
  NOT_REPRESENTABLE:
    'values their native Parquet type cannot hold (NaN, infinities, times outside one day, instants past the INT64 microsecond range)',
};

function total(counts: readonly NulledValueCount[]): number {
  return counts.reduce((sum, counted) => sum + counted.count, 0);
}

/**
 * What export_tables_info and WarningMessage say of a table's nulled values: one sentence per
 * reason, naming each column and its count.
 */
export function nulledValuesMessage(counts: readonly NulledValueCount[]): string {
  return NulledValueReasonSchema.options
    .map((reason) => counts.filter((counted) => counted.reason === reason))
    .filter((ofReason) => ofReason.length > 0)
    .map((ofReason) => {
      const columns = ofReason.map(({ column, count }) => `${column} (${count})`).join(', ');
      return `${total(ofReason)} ${NULLED_VALUE_KINDS[ofReason[0].reason]} were exported as NULL: ${columns}.`;
    })
    .join(' ');
}

/** WarningMessage's `general` entry for a table whose export holds nulled values. */
export function nulledValuesWarning(target: string, counts: readonly NulledValueCount[]) {
  return {
    reason: `Table ${target}: ${total(counts)} values the source holds were exported as NULL.`,
    detail: nulledValuesMessage(counts),
  };
}
