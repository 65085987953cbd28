import { RetryableError, RpcClient } from '@snapex/bus';
import {
  eventIdFor,
  ExtractionCompleted,
  GetExportReportRpc,
  GetTaskStatusRpc,
  PartitionExported,
  TaskCanceled,
  TaskStarted,
} from '@snapex/contracts';
import { randomUUID } from 'node:crypto';
import { TaskReportsUseCase } from '../../apps/task-registry/src/reports/task-reports.use-case';
import {
  call,
  eventually,
  publishBypassingDedup,
  RegistryStack,
  startRegistryStack,
  startRequest,
  waitUntilConsumed,
  watchSubject,
} from './registry-stack';
import {
  exportPlanned,
  handlers,
  partitionAbandoned,
  partitionExported,
  partitionStarted,
  TaskRef,
  taskCompleted,
  taskFailed,
  tablePlanned,
  tableSkipped,
  taskRef,
} from './task-events';

describe('task-registry: task lifecycle', () => {
  let stack: RegistryStack;

  beforeAll(async () => {
    stack = await startRegistryStack({ maxActiveTasksPerAccount: 20 });
  });

  afterAll(async () => {
    await stack?.stop();
  });

  async function startTask(overrides: Record<string, unknown> = {}): Promise<TaskRef> {
    const request = startRequest(stack, overrides);
    const response = await call(stack, '/v1/StartExportTask', { body: request });
    expect(response.status).toBe(200);
    return taskRef(stack, stack.accounts[0].id, request.ExportTaskIdentifier);
  }

  async function describe(identifier: string) {
    const response = await call(stack, `/v1/export-tasks/${identifier}`, { method: 'GET' });
    expect(response.status).toBe(200);
    return response.body;
  }

  async function taskRow(taskId: string) {
    const { rows } = await stack.pool.query('SELECT * FROM export_tasks WHERE task_id = $1', [taskId]);
    return rows[0];
  }

  async function outboxEvents(taskId: string, eventName: string): Promise<any[]> {
    const { rows } = await stack.pool.query(
      `SELECT payload FROM outbox WHERE payload->>'taskId' = $1 AND event_id LIKE $2 ORDER BY id`,
      [taskId, `${eventName}:%`],
    );
    return rows.map((row) => row.payload);
  }

  async function snapshotOf(taskId: string) {
    const task = await taskRow(taskId);
    const { rows: partitions } = await stack.pool.query(
      'SELECT * FROM export_partitions WHERE task_id = $1 ORDER BY table_index, partition_index',
      [taskId],
    );
    const { rows: outbox } = await stack.pool.query(
      `SELECT event_id FROM outbox WHERE payload->>'taskId' = $1 ORDER BY id`,
      [taskId],
    );
    return { task, partitions, outbox: outbox.map((row) => row.event_id) };
  }

  it('announces a started task on JetStream through the outbox', async () => {
    const watcher = await watchSubject(stack.nats, TaskStarted);
    try {
      const task = await startTask({ ExportOnly: ['shop.public'], S3Prefix: 'exports/daily' });
      const event = await watcher.waitFor<any>((payload) => payload.taskId === task.taskId);
      expect(event.eventId).toBe(eventIdFor(TaskStarted, task.taskId));
      expect(event.spec).toMatchObject({
        taskId: task.taskId,
        accountId: stack.accounts[0].id,
        exportTaskIdentifier: task.exportTaskIdentifier,
        sourceType: 'CLUSTER',
        sourceName: 'orders',
        engine: 'postgres',
        s3Prefix: 'exports/daily',
        exportOnly: ['shop.public'],
      });
      const published = await eventually(async () => {
        const { rows } = await stack.pool.query('SELECT published_at FROM outbox WHERE event_id = $1', [
          event.eventId,
        ]);
        return rows[0]?.published_at ?? undefined;
      });
      expect(published).toBeInstanceOf(Date);
    } finally {
      await watcher.close();
    }
  });

  it('follows a task from STARTING to COMPLETE with progress, skips and warnings', async () => {
    const watcher = await watchSubject(stack.nats, ExtractionCompleted);
    try {
      const task = await startTask({
        SourceArn: `arn:aws:rds:us-east-1:${stack.accounts[0].id}:cluster:billing`,
      });
      const handler = handlers(stack);
      await handler.onCredentialsValidated({
        ...task,
        eventId: `CredentialsValidated:${task.taskId}`,
        occurredAt: new Date().toISOString(),
        spec: await specOf(task),
      });
      await handler.onTablePlanned(tablePlanned(task, 0, 2, 3000));
      await handler.onTablePlanned(tablePlanned(task, 1, 1, 1000));
      await handler.onTableSkipped(tableSkipped(task, 2, 'PERMISSIONS_DO_NOT_EXIST'));
      await handler.onExportPlanned(
        exportPlanned(task, { tables: 2, skipped: 1, partitions: 3 }, [
          { reason: 'FAILED_TO_EXTRACT_TABLES_LIST_FOR_DATABASE' },
        ]),
      );
      expect((await describe(task.exportTaskIdentifier)).Status).toBe('IN_PROGRESS');

      await handler.onPartitionStarted(partitionStarted(task, 0, 1));
      await handler.onPartitionExported(partitionExported(task, 0, 1, 600_000_000));
      let view = await describe(task.exportTaskIdentifier);
      expect(view.PercentProgress).toBe(37); // floor(99 * 1500 / 4000)
      await handler.onPartitionExported(partitionExported(task, 1, 1, 700_000_000));
      view = await describe(task.exportTaskIdentifier);
      expect(view.PercentProgress).toBe(61); // floor(99 * 2500 / 4000)
      expect(view.TotalExtractedDataInGB).toBe(1);
      expect(await outboxEvents(task.taskId, 'ExtractionCompleted')).toHaveLength(0);

      await handler.onPartitionExported(partitionExported(task, 0, 2, 500_000_000));
      view = await describe(task.exportTaskIdentifier);
      expect(view.PercentProgress).toBe(99);
      const progressed = await outboxEvents(task.taskId, 'TaskProgressed');
      expect(progressed.map((event) => event.percentProgress)).toEqual([37, 61, 99]);
      expect(progressed[2]).toMatchObject({
        partitionsDone: 3,
        partitionsTotal: 3,
        tablesDone: 2,
        tablesTotal: 2,
      });
      const completed = await watcher.waitFor<any>((payload) => payload.taskId === task.taskId);
      expect(completed.spec.sourceName).toBe('billing');

      await handler.onTaskCompleted(taskCompleted(task, 1_800_000_000));
      view = await describe(task.exportTaskIdentifier);
      expect(view).toMatchObject({ Status: 'COMPLETE', PercentProgress: 100, TotalExtractedDataInGB: 1 });
      expect(view.TaskEndTime).toBeDefined();
      expect(view.ExportTime).toBeDefined();
      expect(JSON.parse(view.WarningMessage)).toEqual({
        skippedTables: [{ target: 'shop.public.t2', reason: 'PERMISSIONS_DO_NOT_EXIST' }],
        skippedObjectives: [],
        general: [{ reason: 'FAILED_TO_EXTRACT_TABLES_LIST_FOR_DATABASE' }],
      });

      const rpc = stack.registry.get(RpcClient);
      const report = await rpc.call(GetExportReportRpc, { taskId: task.taskId });
      expect(report.totalBytes).toBe(1_800_000_000);
      expect(report.spec.taskId).toBe(task.taskId);
      expect(
        report.tables.map((table) => [table.target, table.status, table.numberOfCompletedPartitions]),
      ).toEqual([
        ['shop.public.t0', 'COMPLETE', 2],
        ['shop.public.t1', 'COMPLETE', 1],
        ['shop.public.t2', 'SKIPPED', 0],
      ]);
      expect(report.tables[0]).toMatchObject({ rowCount: 20, bytes: 1_100_000_000 });
      expect(report.tables[0].extractionStartTime).not.toBeNull();
      expect(report.tables[2].skipReason).toBe('PERMISSIONS_DO_NOT_EXIST');
      expect(await rpc.call(GetTaskStatusRpc, { taskId: task.taskId })).toEqual({
        status: 'COMPLETE',
        planRecorded: false,
      });
    } finally {
      await watcher.close();
    }
  });

  async function specOf(task: TaskRef) {
    const row = await taskRow(task.taskId);
    return {
      taskId: task.taskId,
      accountId: task.accountId,
      exportTaskIdentifier: task.exportTaskIdentifier,
      sourceArn: row.source_arn,
      sourceType: row.source_type,
      sourceName: row.source_name,
      engine: row.engine,
      s3Bucket: row.s3_bucket,
      s3Prefix: row.s3_prefix,
      iamRoleArn: row.iam_role_arn,
      kmsKeyId: row.kms_key_id,
      exportOnly: row.export_only,
    };
  }

  it('drops a table an extractor skipped mid-extraction, reporting the objects it already wrote', async () => {
    const task = await startTask({
      SourceArn: `arn:aws:rds:us-east-1:${stack.accounts[0].id}:cluster:audit`,
    });
    const handler = handlers(stack);
    const reports = stack.registry.get(TaskReportsUseCase);
    await handler.onTablePlanned(tablePlanned(task, 0, 3, 3000));
    await handler.onTablePlanned(tablePlanned(task, 1, 1, 1000));
    await handler.onExportPlanned(exportPlanned(task, { tables: 2, skipped: 0, partitions: 4 }));
    await handler.onPartitionExported(partitionExported(task, 0, 1, 100));
    await handler.onPartitionExported(partitionExported(task, 1, 1, 100));
    expect(await reports.partitionState({ taskId: task.taskId, tableIndex: 0, partitionIndex: 2 })).toEqual({
      taskStatus: 'IN_PROGRESS',
      partitionStatus: 'NOT_STARTED',
      tableSkipped: false,
    });

    await handler.onTableSkipped(tableSkipped(task, 0, 'ROW_SIZE_LIMIT_EXCEEDED'));
    expect(
      await reports.partitionState({ taskId: task.taskId, tableIndex: 0, partitionIndex: 2 }),
    ).toMatchObject({
      tableSkipped: true,
    });
    expect(await outboxEvents(task.taskId, 'ExtractionCompleted')).toHaveLength(1);
    const report = await reports.exportReport(task.taskId);
    expect(report.tables.map((table) => [table.status, table.skipReason, table.objectKeys])).toEqual([
      [
        'SKIPPED',
        'ROW_SIZE_LIMIT_EXCEEDED',
        [`${task.exportTaskIdentifier}/shop/public.t0/1/part-00000.gz.parquet`],
      ],
      ['COMPLETE', null, []],
    ]);
    expect(JSON.parse(report.task.WarningMessage!).skippedTables).toEqual([
      { target: 'shop.public.t0', reason: 'ROW_SIZE_LIMIT_EXCEEDED' },
    ]);
  });

  it('announces ExtractionCompleted at once for a plan without partitions', async () => {
    const task = await startTask({ SourceArn: `arn:aws:rds:us-east-1:${stack.accounts[0].id}:cluster:crm` });
    await handlers(stack).onExportPlanned(exportPlanned(task, { tables: 0, skipped: 0, partitions: 0 }));
    expect(await outboxEvents(task.taskId, 'ExtractionCompleted')).toHaveLength(1);
    expect((await taskRow(task.taskId)).status).toBe('IN_PROGRESS');
  });

  it('makes events that overtook their plan wait, and counts them once the plan arrives', async () => {
    const task = await startTask({
      SourceArn: `arn:aws:rds:us-east-1:${stack.accounts[0].id}:cluster:sales`,
    });
    const handler = handlers(stack);
    await expect(handler.onPartitionExported(partitionExported(task, 0, 1, 10))).rejects.toBeInstanceOf(
      RetryableError,
    );
    await expect(
      handler.onExportPlanned(exportPlanned(task, { tables: 1, skipped: 0, partitions: 1 })),
    ).rejects.toBeInstanceOf(RetryableError);
    expect(
      await stack.pool.query('SELECT 1 FROM processed_events WHERE task_id = $1', [task.taskId]),
    ).toMatchObject({
      rowCount: 0,
    });

    await handler.onTablePlanned(tablePlanned(task, 0, 1, 0));
    await handler.onPartitionExported(partitionExported(task, 0, 1, 10));
    expect((await taskRow(task.taskId)).status).toBe('STARTING');
    await handler.onExportPlanned(exportPlanned(task, { tables: 1, skipped: 0, partitions: 1 }));
    const row = await taskRow(task.taskId);
    expect(row).toMatchObject({ status: 'IN_PROGRESS', percent_progress: 99 });
    expect(await outboxEvents(task.taskId, 'ExtractionCompleted')).toHaveLength(1);
  });

  it('applies the same PartitionExported once, whether redelivered by JetStream or handed over again', async () => {
    const task = await startTask({ SourceArn: `arn:aws:rds:us-east-1:${stack.accounts[0].id}:cluster:hr` });
    const handler = handlers(stack);
    await handler.onTablePlanned(tablePlanned(task, 0, 3, 3000));
    await handler.onExportPlanned(exportPlanned(task, { tables: 1, skipped: 0, partitions: 3 }));

    const event = partitionExported(task, 0, 1, 1234);
    await stack.publish(PartitionExported, event);
    await stack.publish(PartitionExported, event);
    await eventually(async () => {
      const { rowCount } = await stack.pool.query('SELECT 1 FROM processed_events WHERE event_id = $1', [
        event.eventId,
      ]);
      return rowCount === 1 ? true : undefined;
    });
    const afterBus = await snapshotOf(task.taskId);
    expect(afterBus.task.percent_progress).toBe(33);
    expect(afterBus.task.bytes_exported).toBe('1234');

    const resentSeq = await publishBypassingDedup(stack, PartitionExported, event);
    await waitUntilConsumed(stack, PartitionExported, resentSeq);
    expect(await snapshotOf(task.taskId)).toEqual(afterBus);

    await handler.onPartitionExported(event);
    await handler.onPartitionExported(event);
    await Promise.all([handler.onPartitionExported(event), handler.onPartitionExported(event)]);
    expect(await snapshotOf(task.taskId)).toEqual(afterBus);

    // The same fact reported under another id (a rewritten partition) is not progress either.
    await handler.onPartitionExported(partitionExported(task, 0, 1, 1234, `${event.eventId}:again`));
    const afterRepeat = await snapshotOf(task.taskId);
    expect(afterRepeat.task).toEqual(afterBus.task);
    expect(afterRepeat.outbox).toEqual(afterBus.outbox);
    expect(await outboxEvents(task.taskId, 'TaskProgressed')).toHaveLength(1);
  });

  it('counts partitions reported at the same moment one by one', async () => {
    // billing's earlier export has completed, so the source is free again.
    const task = await startTask({
      SourceArn: `arn:aws:rds:us-east-1:${stack.accounts[0].id}:cluster:billing`,
    });
    const handler = handlers(stack);
    await handler.onTablePlanned(tablePlanned(task, 0, 6, 600));
    await handler.onExportPlanned(exportPlanned(task, { tables: 1, skipped: 0, partitions: 6 }));
    await Promise.all(
      [1, 2, 3, 4, 5, 6].map((index) => handler.onPartitionExported(partitionExported(task, 0, index, 10))),
    );
    expect(await taskRow(task.taskId)).toMatchObject({ percent_progress: 99, bytes_exported: '60' });
    expect(await outboxEvents(task.taskId, 'TaskProgressed')).toHaveLength(6);
    expect(await outboxEvents(task.taskId, 'ExtractionCompleted')).toHaveLength(1);
  });

  it('lets the first failure win and ignores events for an ended task', async () => {
    const task = await startTask({ SourceArn: `arn:aws:rds:us-east-1:${stack.accounts[0].id}:cluster:ops` });
    const handler = handlers(stack);
    await handler.onTaskFailed(taskFailed(task, 'S3 credential check failed.', 'VALIDATION'));
    await handler.onTaskFailed(taskFailed(task, 'An unknown internal error occurred.', 'PLANNING'));
    await handler.onTablePlanned(tablePlanned(task, 0, 1, 10));
    await handler.onExportPlanned(exportPlanned(task, { tables: 1, skipped: 0, partitions: 1 }));
    const view = await describe(task.exportTaskIdentifier);
    expect(view).toMatchObject({ Status: 'FAILED', FailureCause: 'S3 credential check failed.' });
    expect(view.TaskEndTime).toBeDefined();
    const { rowCount } = await stack.pool.query('SELECT 1 FROM export_tables WHERE task_id = $1', [
      task.taskId,
    ]);
    expect(rowCount).toBe(0);
  });

  it('ends a cancel once every planned partition is exported or abandoned', async () => {
    const watcher = await watchSubject(stack.nats, TaskCanceled);
    try {
      const task = await startTask({
        SourceArn: `arn:aws:rds:us-east-1:${stack.accounts[0].id}:cluster:web`,
      });
      const handler = handlers(stack);
      await handler.onTablePlanned(tablePlanned(task, 0, 3, 300));
      await handler.onExportPlanned(exportPlanned(task, { tables: 1, skipped: 0, partitions: 3 }));
      await handler.onPartitionExported(partitionExported(task, 0, 1, 100));
      const canceled = await call(stack, '/v1/CancelExportTask', {
        body: { ExportTaskIdentifier: task.exportTaskIdentifier },
      });
      expect(canceled.body.Status).toBe('CANCELING');

      await handler.onPartitionExported(partitionExported(task, 0, 2, 100));
      expect((await describe(task.exportTaskIdentifier)).Status).toBe('CANCELING');
      await handler.onPartitionAbandoned(partitionAbandoned(task, 0, 3));
      const view = await describe(task.exportTaskIdentifier);
      expect(view.Status).toBe('CANCELED');
      expect(view.TaskEndTime).toBeDefined();
      expect(await outboxEvents(task.taskId, 'ExtractionCompleted')).toHaveLength(0);
      await watcher.waitFor<any>((payload) => payload.taskId === task.taskId);
      const { rows } = await stack.pool.query('SELECT status FROM export_tables WHERE task_id = $1', [
        task.taskId,
      ]);
      expect(rows).toEqual([{ status: 'CANCELED' }]);
    } finally {
      await watcher.close();
    }
  });

  it('ends a cancel when a stage fails or finishes meanwhile', async () => {
    const failing = await startTask({
      SourceArn: `arn:aws:rds:us-east-1:${stack.accounts[0].id}:cluster:iot`,
    });
    await call(stack, '/v1/CancelExportTask', {
      body: { ExportTaskIdentifier: failing.exportTaskIdentifier },
    });
    await handlers(stack).onTaskFailed(
      taskFailed(failing, 'An unknown internal error occurred.', 'PLANNING'),
    );
    const view = await describe(failing.exportTaskIdentifier);
    expect(view.Status).toBe('CANCELED');
    expect(view.FailureCause).toBeUndefined();
    expect(await outboxEvents(failing.taskId, 'TaskCanceled')).toHaveLength(1);
  });

  it('answers GetTaskStatus and reports unknown task ids as not found', async () => {
    const rpc = stack.registry.get(RpcClient);
    await expect(rpc.call(GetTaskStatusRpc, { taskId: randomUUID() })).rejects.toMatchObject({
      code: 'ExportTaskNotFound',
    });
  });
});
