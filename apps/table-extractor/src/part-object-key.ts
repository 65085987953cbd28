import { createHash } from 'node:crypto';
import { Codec, partFileName } from '@snapex/contracts';

/** Namespace of part-file names, fixed once so the same partition always gets the same name. */
const PART_FILE_NAMESPACE = '6f1c9a52-3d7e-4b0a-8e21-94c5d0b7a3f8';

/** RFC 4122 version 5: a UUID derived from a namespace and a name with SHA-1. */
export function nameBasedUuid(namespace: string, name: string): string {
  const hash = createHash('sha1')
    .update(Buffer.from(namespace.replace(/-/g, ''), 'hex'))
    .update(name, 'utf8')
    .digest();
  const bytes = hash.subarray(0, 16);
  bytes[6] = (bytes[6] & 0x0f) | 0x50;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return [hex.slice(0, 8), hex.slice(8, 12), hex.slice(12, 16), hex.slice(16, 20), hex.slice(20)].join('-');
}

export interface PartFileIdentity {
  taskId: string;
  tableIndex: number;
  partitionIndex: number;
  fileIndex: number;
}

/** A redelivered partition writes the same key, so a retry overwrites rather than duplicates rows. */
export function partObjectKey(
  partitionKeyPrefix: string,
  part: PartFileIdentity,
  codec: Codec = 'gzip',
): string {
  const name = [part.taskId, part.tableIndex, part.partitionIndex, part.fileIndex].join(':');
  const uuid = nameBasedUuid(PART_FILE_NAMESPACE, name);
  return `${partitionKeyPrefix}/${partFileName(part.fileIndex, uuid, codec)}`;
}
