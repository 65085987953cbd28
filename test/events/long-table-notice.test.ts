import { RpcClient } from '@snapex/bus';
import { PlannedTable, ProposeTablePlansRpc, RecordPlanRpc, TableStillExporting } from '@snapex/contracts';
import { randomUUID } from 'node:crypto';
import { LongTableWatch } from '../../apps/task-registry/src/events/long-table-watch';
import {
  call,
  clusterArn,
  RegistryStack,
  startRegistryStack,
  startRequest,
} from '../registry/registry-stack';
import { handlers, partitionStarted, TaskRef, tableRef, taskRef } from '../registry/task-events';
import { eventuallyValue } from '../support/eventually';
import { NatsServer, startPrivateNats } from '../support/private-nats';

function plannedTable(task: TaskRef): PlannedTable {
  const table = tableRef(0);
  return {
    kind: 'planned',
    table,
    target: `shop.public.${table.table}`,
    tableKeyPrefix: `${task.exportTaskIdentifier}/shop/public.${table.table}`,
    columns: [],
    partitioning: { numberOfPartitions: 1, constraintType: 'NONE', partitionColumns: [] },
    estimatedBytes: 1000,
    ranges: [null],
    readPoint: {
      engine: 'postgres',
      sourceName: 'orders',
      database: 'shop',
      snapshotId: null,
      scratchServer: null,
    },
  };
}

describe('task-registry: tables still exporting after a period (RDS-EVENT-0487)', () => {
  let nats: NatsServer;
  let stack: RegistryStack;

  beforeAll(async () => {
    nats = await startPrivateNats();
    stack = await startRegistryStack({ name: 'long-table', natsUrl: nats.url });
  });

  afterAll(async () => {
    await stack?.stop();
    await nats?.stop();
  });

  it('announces a table running longer than the period once per period, through the outbox', async () => {
    const request = startRequest(stack, { SourceArn: clusterArn(stack.accounts[0].id, 'orders') });
    expect((await call(stack, '/v1/StartExportTask', { body: request })).status).toBe(200);
    const task = await taskRef(stack, stack.accounts[0].id, request.ExportTaskIdentifier);
    const rpc = stack.registry.get(RpcClient);
    const attempt = randomUUID();
    await rpc.call(ProposeTablePlansRpc, { taskId: task.taskId, attempt, entries: [plannedTable(task)] });
    await rpc.call(RecordPlanRpc, {
      taskId: task.taskId,
      attempt,
      entryCount: 1,
      exportTime: new Date().toISOString(),
      general: [],
      skippedObjectives: [],
    });
    await handlers(stack).onPartitionStarted(partitionStarted(task, 0, 1));
    // The partition started two and a half hours ago.
    await stack.pool.query(
      `UPDATE export_partitions SET started_at = now() - interval '150 minutes' WHERE task_id = $1`,
      [task.taskId],
    );
    const watch = stack.registry.get(LongTableWatch);
    const announced = async () => {
      const { rows } = await stack.pool.query<{ payload: Record<string, unknown> }>(
        `SELECT payload FROM outbox WHERE subject = $1 AND payload->>'taskId' = $2`,
        [TableStillExporting.subject, task.taskId],
      );
      return rows.map((row) => row.payload);
    };
    watch.kick();
    const [notice] = await eventuallyValue(async () => {
      const found = await announced();
      return found.length > 0 ? found : undefined;
    });
    expect(notice).toMatchObject({
      target: 'shop.public.t0',
      periodsRunning: 2,
      bytesExported: 0,
      exportTaskIdentifier: task.exportTaskIdentifier,
    });
    watch.kick();
    watch.kick();
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(await announced()).toHaveLength(1);
  });
});
