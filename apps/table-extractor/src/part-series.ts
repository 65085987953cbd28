import type { PartStats } from '@snapex/parquet';
import { ExportBatch } from '@snapex/engines';
import { PartFile, StoredPart } from './part-file';

/**
 * The files of one partition, `part-00000`, `part-00001`, …: a new file starts once the current one
 * has reached the target size, so no object grows without bound however large the partition.
 */
export class PartSeries {
  private current: PartFile | null = null;
  private readonly stored: StoredPart[] = [];

  constructor(
    private readonly openFile: (fileIndex: number) => PartFile,
    private readonly fileTargetBytes: number,
  ) {}

  async append(rows: ExportBatch): Promise<void> {
    if (rows.length === 0) return;
    this.current ??= this.openFile(this.stored.length);
    await this.current.append(rows);
    if (this.current.progress().bytes >= this.fileTargetBytes) await this.closeCurrent();
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

  /** Completes the last file; the stored files in order, none for an empty partition. */
  async finish(): Promise<StoredPart[]> {
    await this.closeCurrent();
    return [...this.stored];
  }

  async discard(): Promise<void> {
    await this.current?.discard();
    this.current = null;
  }

  private async closeCurrent(): Promise<void> {
    const part = await this.current?.finish();
    this.current = null;
    if (part) this.stored.push(part);
  }
}
