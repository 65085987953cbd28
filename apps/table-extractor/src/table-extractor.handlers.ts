import { Inject, Injectable } from '@nestjs/common';
import { OnEvent, OnSignal } from '@snapex/bus';
import { CancelRequested, EventPayload, PartitionRequested, TaskFailed } from '@snapex/contracts';
import { StoppedTasks } from '@snapex/service';
import { ExportPartition } from './export-partition.use-case';

@Injectable()
export class TableExtractorHandlers {
  constructor(
    @Inject(ExportPartition) private readonly exportPartition: ExportPartition,
    @Inject(StoppedTasks) private readonly stopped: StoppedTasks,
  ) {}

  @OnEvent(PartitionRequested)
  async extract(event: EventPayload<typeof PartitionRequested>): Promise<void> {
    await this.exportPartition.execute(event);
  }

  /** Partitions of the task that are running here stop at their next batch. */
  @OnSignal(CancelRequested)
  async cancel(event: EventPayload<typeof CancelRequested>): Promise<void> {
    this.stopped.add(event.taskId);
  }

  @OnSignal(TaskFailed)
  async failed(event: EventPayload<typeof TaskFailed>): Promise<void> {
    this.stopped.add(event.taskId);
  }
}
