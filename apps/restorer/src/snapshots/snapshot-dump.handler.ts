import { Inject, Injectable } from '@nestjs/common';
import { MessageContext, OnEvent } from '@snapex/bus';
import { EventPayload, SnapshotRequested } from '@snapex/contracts';
import { TakeSnapshotUseCase } from './take-snapshot.use-case';

@Injectable()
export class SnapshotDumpHandler {
  constructor(@Inject(TakeSnapshotUseCase) private readonly takeSnapshot: TakeSnapshotUseCase) {}

  @OnEvent(SnapshotRequested)
  async onSnapshotRequested(
    request: EventPayload<typeof SnapshotRequested>,
    context: MessageContext,
  ): Promise<void> {
    await this.takeSnapshot.execute(request, context.attempt);
  }
}
