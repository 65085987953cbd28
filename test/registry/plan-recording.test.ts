import { RpcClient } from '@snapex/bus';
import {
  GetTaskStatusRpc,
  PartitionRange,
  PartitionRequested,
  PlannedTable,
  ProposeTablePlansRpc,
  RecordPlanRpc,
  TablePlanEntry,
} from '@snapex/contracts';
import { randomUUID } from 'node:crypto';
import {
  call,
  clusterArn,
  eventually,
  RegistryStack,
  SOURCE_NAMES,
  startRegistryStack,
  startRequest,
} from './registry-stack';
import { handlers, partitionExported, TaskRef, tableRef, taskRef } from './task-events';

/** Ranges on `id` cut at the given boundaries, the first open below and the last open above. */
function rangesAt(...boundaries: number[]): PartitionRange[] {
  const edges = [null, ...boundaries.map(String), null];
  return edges.slice(0, -1).map((lower, index) => ({
    column: 'id',
    constraintType: 'PRIMARY_KEY' as const,
    lower,
    upper: edges[index + 1],
  }));
}

function plannedTable(task: TaskRef, tableIndex: number, ranges: (PartitionRange | null)[]): PlannedTable {
  const table = tableRef(tableIndex);
  return {
    kind: 'planned',
    table,
    target: `shop.public.${table.table}`,
    tableKeyPrefix: `${task.exportTaskIdentifier}/shop/public.${table.table}`,
    columns: [],
    partitioning: { numberOfPartitions: ranges.length, constraintType: 'PRIMARY_KEY', partitionColumns: [] },
    estimatedBytes: 1000,
    ranges,
    readPoint: {
      engine: 'postgres',
      sourceName: 'orders',
      database: 'shop',
      snapshotId: `snapshot-${randomUUID()}`,
      scratchServer: null,
    },
  };
}

describe('task-registry: one recorded plan per task', () => {
  let stack: RegistryStack;
  let rpc: RpcClient;

  beforeAll(async () => {
    stack = await startRegistryStack({ name: 'plan-recording', maxActiveTasksPerAccount: 20 });
    rpc = stack.registry.get(RpcClient);
  });

  afterAll(async () => {
    await stack?.stop();
  });

  let started = 0;

  /** Each on a source of its own: a source has one active export at a time. */
  async function startTask(): Promise<TaskRef> {
    const source = SOURCE_NAMES[started++];
    const request = startRequest(stack, { SourceArn: clusterArn(stack.accounts[0].id, source) });
    const response = await call(stack, '/v1/StartExportTask', { body: request });
    expect(response.status).toBe(200);
    return taskRef(stack, stack.accounts[0].id, request.ExportTaskIdentifier);
  }

  async function status(task: TaskRef) {
    const response = await call(stack, `/v1/export-tasks/${task.exportTaskIdentifier}`, { method: 'GET' });
    return response.body;
  }

  async function propose(task: TaskRef, attempt: string, entries: TablePlanEntry[]) {
    return rpc.call(ProposeTablePlansRpc, { taskId: task.taskId, attempt, entries });
  }

  async function record(task: TaskRef, attempt: string, entryCount: number) {
    return rpc.call(RecordPlanRpc, {
      taskId: task.taskId,
      attempt,
      entryCount,
      exportTime: new Date().toISOString(),
      general: [],
      skippedObjectives: [],
    });
  }

  async function requestedRanges(taskId: string): Promise<[string, PartitionRange | null][]> {
    const { rows } = await stack.pool.query(
      `SELECT payload FROM outbox WHERE subject = $1 AND payload->>'taskId' = $2 ORDER BY id`,
      [PartitionRequested.subject, taskId],
    );
    return rows.map(({ payload }) => [
      `${payload.table.tableIndex}/${payload.partitionIndex}`,
      payload.range,
    ]);
  }

  it('keeps the first attempt recorded and announces only its partitions, once', async () => {
    const task = await startTask();
    const first = randomUUID();
    const second = randomUUID();
    const firstPlan = [plannedTable(task, 0, rangesAt(100, 200)), plannedTable(task, 1, [null])];
    const secondPlan = [plannedTable(task, 0, rangesAt(150)), plannedTable(task, 1, [null])];
    // Two attempts plan concurrently, as a redelivered planning message would.
    expect(await propose(task, first, firstPlan.slice(0, 1))).toEqual({ recordedAttempt: null });
    expect(await propose(task, second, secondPlan)).toEqual({ recordedAttempt: null });
    expect(await propose(task, first, firstPlan.slice(1))).toEqual({ recordedAttempt: null });
    expect(await record(task, first, 2)).toEqual({ outcome: 'RECORDED', recordedAttempt: first });
    expect(await record(task, second, 2)).toEqual({ outcome: 'RECORDED', recordedAttempt: first });
    expect(await record(task, first, 2)).toEqual({ outcome: 'RECORDED', recordedAttempt: first });
    expect(await propose(task, randomUUID(), secondPlan)).toEqual({ recordedAttempt: first });

    const [below, between, above] = rangesAt(100, 200);
    expect(await requestedRanges(task.taskId)).toEqual([
      ['0/1', below],
      ['0/2', between],
      ['0/3', above],
      ['1/1', null],
    ]);
    // Every announcement reaches the bus, the partitions on the work queue.
    await eventually(async () => {
      const { rows } = await stack.pool.query(
        `SELECT count(*) FILTER (WHERE published_at IS NULL)::int AS pending FROM outbox
           WHERE subject = $1 AND payload->>'taskId' = $2`,
        [PartitionRequested.subject, task.taskId],
      );
      return rows[0].pending === 0 ? true : undefined;
    });
    const view = await status(task);
    expect(view.Status).toBe('IN_PROGRESS');
    expect(await rpc.call(GetTaskStatusRpc, { taskId: task.taskId })).toEqual({
      status: 'IN_PROGRESS',
      planRecorded: true,
    });
    const { rows } = await stack.pool.query(
      'SELECT DISTINCT attempt FROM export_plan_entries WHERE task_id = $1',
      [task.taskId],
    );
    expect(rows.map((row) => row.attempt)).toEqual([first]);
  });

  it('refuses a plan whose ranges leave a gap, failing the task with the table named', async () => {
    const task = await startTask();
    const attempt = randomUUID();
    const gap = rangesAt(100, 200);
    gap[1] = { ...gap[1], upper: '150' };
    await propose(task, attempt, [plannedTable(task, 0, rangesAt(10)), plannedTable(task, 1, gap)]);
    const outcome = await record(task, attempt, 2);
    expect(outcome.outcome).toBe('REFUSED');
    const view = await status(task);
    expect(view.Status).toBe('FAILED');
    expect(view.FailureCause).toContain('shop.public.t1');
    expect(view.FailureCause).toContain('partition 2 ends at 150 but partition 3 starts at 200');
    expect(await requestedRanges(task.taskId)).toEqual([]);
  });

  it('refuses to record an attempt whose proposals did not all arrive', async () => {
    const task = await startTask();
    const attempt = randomUUID();
    await propose(task, attempt, [plannedTable(task, 0, [null])]);
    await expect(record(task, attempt, 2)).rejects.toMatchObject({ code: 'InternalFailure' });
    expect((await rpc.call(GetTaskStatusRpc, { taskId: task.taskId })).planRecorded).toBe(false);
  });

  it('fails instead of completing when a partition reports rows its files do not hold', async () => {
    const task = await startTask();
    const attempt = randomUUID();
    await propose(task, attempt, [plannedTable(task, 0, rangesAt(100)), plannedTable(task, 1, [null])]);
    await record(task, attempt, 2);
    const handler = handlers(stack);
    await handler.onPartitionExported(partitionExported(task, 0, 1, 1000));
    await handler.onPartitionExported(partitionExported(task, 1, 1, 1000));
    const miscounted = partitionExported(task, 0, 2, 1000);
    await handler.onPartitionExported({ ...miscounted, rowCount: 11 });
    const view = await eventually(async () => {
      const current = await status(task);
      return current.Status === 'FAILED' ? current : undefined;
    });
    expect(view.FailureCause).toContain('shop.public.t0: partition 2 reported 11 rows but its files hold 10');
    const { rows } = await stack.pool.query(
      `SELECT event_id FROM outbox WHERE event_id LIKE 'ExtractionCompleted:%' AND payload->>'taskId' = $1`,
      [task.taskId],
    );
    expect(rows).toEqual([]);
  });

  it('completes extraction when every planned range was exported with consistent counts', async () => {
    const task = await startTask();
    const attempt = randomUUID();
    await propose(task, attempt, [plannedTable(task, 0, rangesAt(100))]);
    await record(task, attempt, 1);
    const handler = handlers(stack);
    await handler.onPartitionExported(partitionExported(task, 0, 2, 1000));
    await handler.onPartitionExported(partitionExported(task, 0, 1, 1000));
    await eventually(async () => {
      const { rows } = await stack.pool.query(
        `SELECT 1 FROM outbox WHERE event_id LIKE 'ExtractionCompleted:%' AND payload->>'taskId' = $1`,
        [task.taskId],
      );
      return rows.length === 1 ? true : undefined;
    });
    expect((await status(task)).Status).toBe('IN_PROGRESS');
  });
});
