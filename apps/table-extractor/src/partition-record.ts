import { randomUUID } from 'node:crypto';
import { NulledValueCount, NulledValueCountSchema } from '@snapex/contracts';
import type { FooterEntries, ParquetFooter } from '@snapex/parquet';
import { z } from 'zod';
import type { StoredPart } from './part-file';

/**
 * Footer entries by which a partition's part files record that the partition finished. They are in
 * the file itself, so they exist exactly when the object does: S3 shows a multipart object only once
 * it is complete, and no crash can leave a complete file without them. Rows per file are the
 * footer's own num_rows.
 */
export const PARTITION_RECORD_KEYS = {
  /** The attempt that wrote the file, the same on every file of that attempt. */
  attempt: 'snapex.partition.attempt',
  /** The file's index within its partition: 0 for part-00000. */
  file: 'snapex.partition.file',
  /** On the file the partition ended in only: how many files the partition has. */
  files: 'snapex.partition.files',
  /** On the file the partition ended in, when the partition has any: its nulled values, as JSON. */
  nulled: 'snapex.partition.nulled',
} as const;

/**
 * The entries of one file an attempt writes; `fileCount` (and the partition's nulled values) only for
 * the last file, closed because the partition's rows ended.
 */
export function partitionRecordOf(
  attempt: string,
  fileIndex: number,
  fileCount: number | null,
  nulledValues: NulledValueCount[] = [],
): FooterEntries {
  const entries: Record<string, string> = {
    [PARTITION_RECORD_KEYS.attempt]: attempt,
    [PARTITION_RECORD_KEYS.file]: String(fileIndex),
  };
  if (fileCount === null) return entries;
  entries[PARTITION_RECORD_KEYS.files] = String(fileCount);
  if (nulledValues.length > 0) entries[PARTITION_RECORD_KEYS.nulled] = JSON.stringify(nulledValues);
  return entries;
}

/** A partition's files and the values its rows have as NULL though the source held one. */
export interface FinishedPartition {
  parts: StoredPart[];
  nulledValues: NulledValueCount[];
}

const RecordedNulledValuesSchema = z.array(NulledValueCountSchema);

function recordedNulledValues(text: string | undefined): NulledValueCount[] {
  return text === undefined ? [] : RecordedNulledValuesSchema.parse(JSON.parse(text));
}

export function newAttempt(): string {
  return randomUUID();
}

/** A stored part file's footer and the object's size. */
export interface StoredFooter {
  key: string;
  bytes: number;
  footer: ParquetFooter;
}

/**
 * The files of a partition that one earlier attempt wrote to the end, from their footers: part-00000,
 * part-00001, … up to the one that names the file count. Null when a file is missing, carries no
 * record, or the files are not all of one attempt.
 *
 * Files of different attempts never make a finished partition, however well their entries fit: a
 * partition read again need not return its rows in the same order, nor cut its files at the same rows
 * (the target size may have changed), so an earlier attempt's file 2 may hold rows that a later
 * attempt's files 0 and 1 already hold. That mix arises when a later attempt rewrites the first
 * files of a finished partition (its own check failed to read) and dies before its last file: the
 * earlier attempt's last file, with its count, is still there. Every file must carry the attempt of
 * part-00000. Files beyond the count are a stale tail of another attempt; the caller removes them.
 */
export async function finishedFiles(
  footerAt: (fileIndex: number) => Promise<StoredFooter | null>,
): Promise<FinishedPartition | null> {
  const parts: StoredPart[] = [];
  let attempt: string | undefined;
  for (let fileIndex = 0; ; fileIndex++) {
    const stored = await footerAt(fileIndex);
    if (!stored) return null;
    const entries = stored.footer.entries;
    attempt ??= entries.get(PARTITION_RECORD_KEYS.attempt);
    if (attempt === undefined || entries.get(PARTITION_RECORD_KEYS.attempt) !== attempt) return null;
    if (entries.get(PARTITION_RECORD_KEYS.file) !== String(fileIndex)) return null;
    parts.push({ key: stored.key, bytes: stored.bytes, rows: stored.footer.rows });
    const fileCount = entries.get(PARTITION_RECORD_KEYS.files);
    if (fileCount === undefined) continue;
    if (fileCount !== String(fileIndex + 1)) return null;
    return { parts, nulledValues: recordedNulledValues(entries.get(PARTITION_RECORD_KEYS.nulled)) };
  }
}
