import { DecimalShape } from '@snapex/contracts';

const DECIMAL_TEXT = /^([+-]?)(\d*)(?:\.(\d*))?$/;

/**
 * The unscaled integer of a decimal's exact text (`-12.30` at scale 2 is -1230), without floating
 * point; null when the text is not a decimal, has more fractional digits than the scale, or does
 * not fit the precision.
 */
export function unscaledDecimal(text: string, { precision, scale }: DecimalShape): bigint | null {
  const match = DECIMAL_TEXT.exec(text);
  if (!match) return null;
  const [, sign, integer, fraction = ''] = match;
  if (integer.length === 0 && fraction.length === 0) return null;
  if (fraction.length > scale && /[^0]/.test(fraction.slice(scale))) return null;
  const digits = `${integer}${fraction.slice(0, scale).padEnd(scale, '0')}`;
  const unscaled = BigInt(`${sign}${digits}`);
  const magnitude = unscaled < 0n ? -unscaled : unscaled;
  return magnitude < 10n ** BigInt(precision) ? unscaled : null;
}

/** Big-endian two's complement in exactly `byteLength` bytes, as FIXED_LEN_BYTE_ARRAY decimals are stored. */
export function twosComplementBytes(value: bigint, byteLength: number): Buffer {
  const bytes = Buffer.alloc(byteLength);
  let rest = BigInt.asUintN(8 * byteLength, value);
  for (let index = byteLength - 1; index >= 0; index--) {
    bytes[index] = Number(rest & 0xffn);
    rest >>= 8n;
  }
  return bytes;
}
