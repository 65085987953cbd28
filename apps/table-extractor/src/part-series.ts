import { NulledValueCount } from '@snapex/contracts';
import type { PartStats } from '@snapex/parquet';
import { ExportBatch } from '@snapex/engines';
import { PartFile, StoredPart } from './part-file';
import { newAttempt, partitionRecordOf } from './partition-record';

/**
 * The files of one partition, `part-00000`, `part-00001`, …: a new file starts once the current one
 * has reached the target size, so no object grows without bound however large the partition. Each
 * file's footer records this attempt and the file's index; the last file's also the file count.
 */
export class PartSeries {
  private current: PartFile | null = null;
  private readonly stored: StoredPart[] = [];
  private readonly attempt = newAttempt();

  constructor(
    private readonly openFile: (fileIndex: number) => PartFile,
    private readonly fileTargetBytes: number,
  ) {}

  /**
   * A full file is closed only once more rows come: the file the partition ends in is then always
   * closed by finish(), with the file count, even when it ended just as the file was full.
   */
  async append(rows: ExportBatch): Promise<void> {
    if (rows.length === 0) return;
    if (this.current && this.current.progress().bytes >= this.fileTargetBytes) await this.closeCurrent(false);
    this.current ??= this.openFile(this.stored.length);
    await this.current.append(rows);
  }

  progress(): PartStats {
    const done = this.stored.reduce(
      (sum, part) => ({ rows: sum.rows + part.rows, bytes: sum.bytes + part.bytes }),
      {
        rows: 0,
        bytes: 0,
      },
    );
    const open = this.current?.progress() ?? { rows: 0, bytes: 0 };
    return { rows: done.rows + open.rows, bytes: done.bytes + open.bytes };
  }

  /**
   * Completes the last file, its footer recording the partition's nulled values; the stored files in
   * order, none for an empty partition.
   */
  async finish(nulledValues: NulledValueCount[] = []): Promise<StoredPart[]> {
    await this.closeCurrent(true, nulledValues);
    return [...this.stored];
  }

  async discard(): Promise<void> {
    await this.current?.discard();
    this.current = null;
  }

  private async closeCurrent(last: boolean, nulledValues: NulledValueCount[] = []): Promise<void> {
    const fileIndex = this.stored.length;
    const part = await this.current?.finish(
      partitionRecordOf(this.attempt, fileIndex, last ? fileIndex + 1 : null, nulledValues),
    );
    this.current = null;
    if (part) this.stored.push(part);
  }
}
