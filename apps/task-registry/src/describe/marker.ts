import { Fault } from '@snapex/contracts';

/** Sequence numbers are PostgreSQL bigints; a position past the largest one was never handed out. */
const MAX_SEQ = 2n ** 63n - 1n;

/** Paging markers are opaque to callers: the position of the last task returned, base64url-encoded. */
export function encodeMarker(seq: string): string {
  return Buffer.from(JSON.stringify({ seq }), 'utf8').toString('base64url');
}

export function decodeMarker(marker: string): string {
  const seq = seqOf(marker);
  if (typeof seq === 'string' && /^\d{1,19}$/.test(seq) && BigInt(seq) <= MAX_SEQ) return seq;
  throw new Fault('InvalidParameterValue', 'The parameter Marker is not a marker this service returned.');
}

function seqOf(marker: string): unknown {
  try {
    const decoded: unknown = JSON.parse(Buffer.from(marker, 'base64url').toString('utf8'));
    return decoded !== null && typeof decoded === 'object' ? (decoded as { seq?: unknown }).seq : undefined;
  } catch {
    return undefined;
  }
}
