import { ExportTask } from '@aws-sdk/client-rds';
import { SingleBar } from 'cli-progress';

/** How a followed task is shown while it runs. */
export interface ProgressView {
  update(task: ExportTask): void;
  stop(): void;
}

export interface ProgressStream {
  write(text: string): unknown;
  isTTY?: boolean;
}

/** A bar on a terminal; one line per change elsewhere, so logs and pipes stay readable. */
export function progressViewFor(stream: ProgressStream): ProgressView {
  return stream.isTTY ? new BarView(stream) : new LineView(stream);
}

class BarView implements ProgressView {
  private readonly bar: SingleBar;
  private started = false;

  constructor(stream: ProgressStream) {
    this.bar = new SingleBar({
      stream: stream as NodeJS.WritableStream,
      format: '{identifier} [{bar}] {percentage}% | {status} | {gigabytes} GB',
      hideCursor: true,
      clearOnComplete: false,
    });
  }

  update(task: ExportTask): void {
    const payload = {
      identifier: task.ExportTaskIdentifier,
      status: task.Status,
      gigabytes: task.TotalExtractedDataInGB ?? 0,
    };
    if (!this.started) this.bar.start(100, task.PercentProgress ?? 0, payload);
    else this.bar.update(task.PercentProgress ?? 0, payload);
    this.started = true;
  }

  stop(): void {
    if (this.started) this.bar.stop();
  }
}

class LineView implements ProgressView {
  private last = '';

  constructor(private readonly stream: ProgressStream) {}

  update(task: ExportTask): void {
    const line = `${task.ExportTaskIdentifier}: ${task.Status} ${task.PercentProgress ?? 0}% (${task.TotalExtractedDataInGB ?? 0} GB)`;
    if (line !== this.last) this.stream.write(`${line}\n`);
    this.last = line;
  }

  stop(): void {}
}
