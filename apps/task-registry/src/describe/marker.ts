import { Fault } from '@snapex/contracts';

/** Paging markers are opaque to callers: the position of the last task returned, base64url-encoded. */
export function encodeMarker(seq: string): string {
  return Buffer.from(JSON.stringify({ seq }), 'utf8').toString('base64url');
}

export function decodeMarker(marker: string): string {
  try {
    const decoded = JSON.parse(Buffer.from(marker, 'base64url').toString('utf8')) as { seq?: unknown };
    if (typeof decoded.seq === 'string' && /^\d{1,19}$/.test(decoded.seq)) return decoded.seq;
  } catch {
    // fall through to the fault below
  }
  throw new Fault('InvalidParameterValue', 'The parameter Marker is not a marker this service returned.');
}
