import { DescribeExportTasksCommand, ExportTask, RDSClient } from '@aws-sdk/client-rds';
import { ProgressView } from './progress-view';

const ENDED = new Set(['COMPLETE', 'FAILED', 'CANCELED']);

export interface WatchSettings {
  intervalMs: number;
  sleep: (ms: number) => Promise<void>;
}

/** Polls DescribeExportTasks until the task is COMPLETE, FAILED or CANCELED, and returns it then. */
export async function watchTask(
  client: RDSClient,
  identifier: string,
  view: ProgressView,
  settings: WatchSettings,
): Promise<ExportTask> {
  try {
    for (;;) {
      const task = await describeOne(client, identifier);
      view.update(task);
      if (ENDED.has(task.Status ?? '')) return task;
      await settings.sleep(settings.intervalMs);
    }
  } finally {
    view.stop();
  }
}

async function describeOne(client: RDSClient, identifier: string): Promise<ExportTask> {
  const { ExportTasks } = await client.send(
    new DescribeExportTasksCommand({ ExportTaskIdentifier: identifier }),
  );
  const task = ExportTasks?.[0];
  if (!task) throw new Error(`DescribeExportTasks returned no task ${identifier}.`);
  return task;
}
