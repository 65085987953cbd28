import { DynamicModule } from '@nestjs/common';
import { AccountTrust, SnapexConfig, SourceCatalogue } from '@snapex/config';
import { Logger } from '@snapex/logging';
import { ServiceModule } from '@snapex/service';
import { CancelExportTaskUseCase } from './cancel/cancel-export-task.use-case';
import { runMigrations } from './database/migrations';
import { RegistryDatabase } from './database/registry-database';
import { DescribeExportTasksUseCase } from './describe/describe-export-tasks.use-case';
import { EventApplication } from './events/event-application';
import { ExtractionTracker } from './events/extraction-tracker';
import { LongTableWatch } from './events/long-table-watch';
import { OutcomeRecorder } from './events/outcome-recorder';
import { PartitionRecorder } from './events/partition-recorder';
import { PlanRecorder } from './events/plan-recorder';
import { ProcessedEventRepository } from './events/processed-event.repository';
import { CONSUMED_EVENTS, TaskEventsHandler } from './events/task-events.handler';
import { RegistryOperations } from './operations/registry-operations';
import { OutboxRelay } from './outbox/outbox-relay';
import { OutboxRepository } from './outbox/outbox.repository';
import { PlanAudit } from './plan/plan-audit';
import { PlanRepository } from './plan/plan.repository';
import { RecordedPlanRepository } from './plan/recorded-plan.repository';
import { RecordPlanUseCase } from './plan/record-plan.use-case';
import { REGISTRY_SETTINGS, registrySettingsFrom } from './registry-settings';
import { TaskReportsUseCase } from './reports/task-reports.use-case';
import { RegistryRpcHandler, SERVED_RPCS } from './rpc/registry-rpc.handler';
import { SnapshotCatalogue } from './snapshots/snapshot-catalogue';
import { SubscriptionCatalogue } from './subscriptions/subscription-catalogue';
import { StartExportTaskUseCase } from './start/start-export-task.use-case';
import { TaskTransitions } from './tasks/task-transitions';
import { TaskRepository } from './tasks/task.repository';

export const TASK_REGISTRY = 'task-registry';

export interface TaskRegistryOptions {
  /** Durable consumer and queue group names derive from it; tests give each run its own. */
  serviceName?: string;
}

export function taskRegistryModule(
  config: SnapexConfig,
  logger: Logger,
  options: TaskRegistryOptions = {},
): DynamicModule {
  const settings = registrySettingsFrom(config);
  return ServiceModule.create({
    config,
    logger,
    bus: {
      service: options.serviceName ?? TASK_REGISTRY,
      consumes: [...CONSUMED_EVENTS, ...SnapshotCatalogue.events],
      serves: [...SERVED_RPCS, ...SnapshotCatalogue.rpcs, ...SubscriptionCatalogue.rpcs],
    },
    failureStage: null,
    providers: [
      { provide: REGISTRY_SETTINGS, useValue: settings },
      { provide: SourceCatalogue, useValue: new SourceCatalogue(config) },
      { provide: AccountTrust, useValue: new AccountTrust(config) },
      {
        provide: RegistryDatabase,
        useFactory: async () => {
          const applied = await runMigrations({
            databaseUrl: settings.databaseUrl,
            schema: settings.schema,
            logger,
          });
          if (applied.length > 0) logger.info({ migrations: applied }, 'registry schema migrated');
          return RegistryDatabase.connect(settings.databaseUrl, settings.schema, logger);
        },
      },
      TaskRepository,
      PlanRepository,
      RecordedPlanRepository,
      PlanAudit,
      RecordPlanUseCase,
      ProcessedEventRepository,
      OutboxRepository,
      OutboxRelay,
      TaskTransitions,
      EventApplication,
      ExtractionTracker,
      PlanRecorder,
      PartitionRecorder,
      OutcomeRecorder,
      LongTableWatch,
      StartExportTaskUseCase,
      DescribeExportTasksUseCase,
      CancelExportTaskUseCase,
      TaskReportsUseCase,
      RegistryRpcHandler,
      TaskEventsHandler,
      RegistryOperations,
      ...SnapshotCatalogue.providers(config, logger),
      ...SubscriptionCatalogue.providers,
    ],
  });
}
