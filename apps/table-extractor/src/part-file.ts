import { ColumnPlan } from '@snapex/contracts';
import { ExportBatch } from '@snapex/engines';
import type {
  FooterEntries,
  OpenPartEncoder,
  PartEncoder,
  PartEncoderOptions,
  PartStats,
} from '@snapex/parquet';
import { PartStorage, PartTarget, PartUpload, UploadWatch } from './part-upload';

/** The encoder refused the rows; the same rows would be refused again. */
export class PartEncodingError extends Error {
  constructor(override readonly cause: unknown) {
    super(`encoding the part file failed: ${(cause as Error)?.message}`);
    this.name = 'PartEncodingError';
  }
}

export interface StoredPart {
  key: string;
  bytes: number;
  rows: number;
}

interface OpenPart {
  upload: PartUpload;
  encoder: PartEncoder;
}

/**
 * The one object a partition is written to. It is opened when the first row arrives, so an empty
 * partition leaves nothing in the bucket.
 */
export class PartFile {
  private open: OpenPart | null = null;

  constructor(
    private readonly storage: PartStorage,
    private readonly openEncoder: OpenPartEncoder,
    private readonly target: PartTarget,
    private readonly columns: readonly ColumnPlan[],
    private readonly encoderOptions: PartEncoderOptions,
    private readonly watch: UploadWatch,
  ) {}

  async append(rows: ExportBatch): Promise<void> {
    if (rows.length === 0) return;
    const { encoder, upload } = this.open ?? (await this.opened());
    await this.explaining(upload, () => encoder.write(rows));
  }

  progress(): PartStats {
    return this.open?.encoder.stats() ?? { rows: 0, bytes: 0 };
  }

  /** Completes the object, its footer holding `entries`; null when no row arrived. */
  async finish(entries: FooterEntries): Promise<StoredPart | null> {
    if (!this.open) return null;
    const { encoder, upload } = this.open;
    const stats = await this.explaining(upload, () => encoder.close(entries));
    await upload.completed();
    return { key: this.target.key, bytes: stats.bytes, rows: stats.rows };
  }

  async discard(): Promise<void> {
    await this.open?.upload.abort();
  }

  private async opened(): Promise<OpenPart> {
    const upload = this.storage.open(this.target, this.watch);
    try {
      const encoder = await this.explaining(upload, () =>
        this.openEncoder(this.columns, upload.body, this.encoderOptions),
      );
      this.open = { upload, encoder };
      return this.open;
    } catch (error) {
      await upload.abort();
      throw error;
    }
  }

  /** A body that stopped taking bytes means the upload failed: that failure is the one to report. */
  private async explaining<T>(upload: PartUpload, work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      if (!upload.body.destroyed) throw new PartEncodingError(error);
      throw (await upload.settledFailure()) ?? error;
    }
  }
}
