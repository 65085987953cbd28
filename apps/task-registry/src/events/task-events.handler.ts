import { Inject, Injectable } from '@nestjs/common';
import { OnEvent } from '@snapex/bus';
import {
  CredentialsValidated,
  EventPayload,
  ExportPlanned,
  PartitionAbandoned,
  PartitionExported,
  PartitionStarted,
  TableSkipped,
  TablePlanned,
  TaskCompleted,
  TaskFailed,
} from '@snapex/contracts';
import { OutcomeRecorder } from './outcome-recorder';
import { PartitionRecorder } from './partition-recorder';
import { PlanRecorder } from './plan-recorder';

/** Every lifecycle event the registry folds into task state. */
export const CONSUMED_EVENTS = [
  CredentialsValidated,
  TableSkipped,
  TablePlanned,
  ExportPlanned,
  PartitionStarted,
  PartitionExported,
  PartitionAbandoned,
  TaskCompleted,
  TaskFailed,
];

@Injectable()
export class TaskEventsHandler {
  constructor(
    @Inject(PlanRecorder) private readonly plan: PlanRecorder,
    @Inject(PartitionRecorder) private readonly partitions: PartitionRecorder,
    @Inject(OutcomeRecorder) private readonly outcomes: OutcomeRecorder,
  ) {}

  @OnEvent(CredentialsValidated)
  onCredentialsValidated(event: EventPayload<typeof CredentialsValidated>): Promise<void> {
    return this.outcomes.credentialsValidated(event);
  }

  @OnEvent(TableSkipped)
  onTableSkipped(event: EventPayload<typeof TableSkipped>): Promise<void> {
    return this.plan.tableSkipped(event);
  }

  @OnEvent(TablePlanned)
  onTablePlanned(event: EventPayload<typeof TablePlanned>): Promise<void> {
    return this.plan.tablePlanned(event);
  }

  @OnEvent(ExportPlanned)
  onExportPlanned(event: EventPayload<typeof ExportPlanned>): Promise<void> {
    return this.plan.exportPlanned(event);
  }

  @OnEvent(PartitionStarted)
  onPartitionStarted(event: EventPayload<typeof PartitionStarted>): Promise<void> {
    return this.partitions.partitionStarted(event);
  }

  @OnEvent(PartitionExported)
  onPartitionExported(event: EventPayload<typeof PartitionExported>): Promise<void> {
    return this.partitions.partitionExported(event);
  }

  @OnEvent(PartitionAbandoned)
  onPartitionAbandoned(event: EventPayload<typeof PartitionAbandoned>): Promise<void> {
    return this.partitions.partitionAbandoned(event);
  }

  @OnEvent(TaskCompleted)
  onTaskCompleted(event: EventPayload<typeof TaskCompleted>): Promise<void> {
    return this.outcomes.taskCompleted(event);
  }

  @OnEvent(TaskFailed)
  onTaskFailed(event: EventPayload<typeof TaskFailed>): Promise<void> {
    return this.outcomes.taskFailed(event);
  }
}
