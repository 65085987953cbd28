import { Inject, Injectable } from '@nestjs/common';
import { OnEvent, OnSignal } from '@snapex/bus';
import {
  CancelRequested,
  CredentialsValidated,
  EventPayload,
  TaskCanceled,
  TaskCompleted,
  TaskFailed,
} from '@snapex/contracts';
import { StoppedTasks } from '@snapex/service';
import { PlanExport } from './plan-export.use-case';
import { ReadPointHolder } from './read-point-holder';
import { ScratchCopies } from './restore/scratch-copies';
import { ScratchJanitor } from './restore/scratch-janitor';

@Injectable()
export class RestorerHandlers {
  constructor(
    @Inject(PlanExport) private readonly planExport: PlanExport,
    @Inject(ReadPointHolder) private readonly holder: ReadPointHolder,
    @Inject(StoppedTasks) private readonly stopped: StoppedTasks,
    @Inject(ScratchJanitor) private readonly janitor: ScratchJanitor,
    @Inject(ScratchCopies) private readonly copies: ScratchCopies,
  ) {}

  @OnEvent(CredentialsValidated)
  async plan(event: EventPayload<typeof CredentialsValidated>): Promise<void> {
    await this.planExport.execute(event.spec);
  }

  /** Extractors may still be reading while the task cancels: its copies stay until it is CANCELED. */
  @OnSignal(CancelRequested)
  async cancel(event: EventPayload<typeof CancelRequested>): Promise<void> {
    await this.stop(event.taskId);
  }

  @OnSignal(TaskFailed)
  async failed(event: EventPayload<typeof TaskFailed>): Promise<void> {
    await this.stop(event.taskId);
    await this.janitor.dropTaskCopies(event.taskId);
  }

  @OnSignal(TaskCompleted)
  async completed(event: EventPayload<typeof TaskCompleted>): Promise<void> {
    await this.holder.release(event.taskId);
    await this.janitor.dropTaskCopies(event.taskId);
  }

  @OnSignal(TaskCanceled)
  async canceled(event: EventPayload<typeof TaskCanceled>): Promise<void> {
    await this.stop(event.taskId);
    await this.janitor.dropTaskCopies(event.taskId);
  }

  private async stop(taskId: string): Promise<void> {
    this.stopped.add(taskId);
    this.copies.abort(taskId);
    await this.holder.release(taskId);
  }
}
