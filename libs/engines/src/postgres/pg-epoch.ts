/** Days from 1970-01-01 to 2000-01-01, PostgreSQL's epoch for dates and timestamps. */
const PG_EPOCH_DAYS = 10_957;
export const PG_EPOCH_MICROS = BigInt(PG_EPOCH_DAYS) * 86_400_000_000n;
const INT32_MAX = 2 ** 31 - 1;
const INT32_MIN = -(2 ** 31);
const INT64_MAX = 2n ** 63n - 1n;
const INT64_MIN = -(2n ** 63n);

/** A date's binary send format as days since 1970; null for `infinity` and `-infinity` (INT32's extremes). */
export function unixDays(buffer: Buffer, start: number): number | null {
  const days = buffer.readInt32BE(start);
  return days === INT32_MAX || days === INT32_MIN ? null : days + PG_EPOCH_DAYS;
}

/**
 * Microseconds as INT64: a time since midnight as it is (`shift` 0), a timestamp moved to the Unix
 * epoch (`shift` PG_EPOCH_MICROS). Null for the infinities, and for the last few thousand years
 * PostgreSQL holds that the move would carry past INT64.
 */
export function unixMicros(buffer: Buffer, start: number, shift: bigint): bigint | null {
  const raw = buffer.readBigInt64BE(start);
  if (raw === INT64_MAX || raw === INT64_MIN) return null;
  const micros = raw + shift;
  return micros > INT64_MAX || micros < INT64_MIN ? null : micros;
}
