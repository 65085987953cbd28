import { ReactNode, useState } from 'react';
import { ACTIVE_STATUSES, callApi, cancelExport, Credentials, ExportTask, TableStatus } from './api';
import { FaultAlert, Panel, ProgressBar, StatusBadge, time, usePolling } from './ui';

/** WarningMessage is JSON (skipped tables and objectives, general warnings); shown laid out when it parses. */
function warnings(message: string): string {
  try {
    return JSON.stringify(JSON.parse(message), null, 2);
  } catch {
    return message;
  }
}

function Field({ name, children }: { name: string; children: ReactNode }) {
  return (
    <>
      <dt>{name}</dt>
      <dd>{children}</dd>
    </>
  );
}

/** One export task, followed live until it ends, with its tables as export_tables_info describes them. */
export function TaskPage({ credentials, identifier }: { credentials: Credentials; identifier: string }) {
  const [task, setTask] = useState<ExportTask>();
  const [tables, setTables] = useState<TableStatus[]>([]);
  const [error, setError] = useState<unknown>();
  const path = `/v1/export-tasks/${encodeURIComponent(identifier)}`;
  const running = !task || ACTIVE_STATUSES.includes(task.Status);

  const load = async () => {
    try {
      setTask(await callApi<ExportTask>(credentials, path));
      setTables(
        (await callApi<{ perTableStatus: TableStatus[] }>(credentials, `${path}/tables`)).perTableStatus,
      );
      setError(undefined);
    } catch (failure) {
      setError(failure);
    }
  };
  usePolling(load, 1000, running && !error, [identifier]);

  async function cancel() {
    try {
      setTask(await cancelExport(credentials, identifier));
    } catch (failure) {
      setError(failure);
    }
  }

  return (
    <>
      <Panel
        title={`Export ${identifier}`}
        actions={
          task &&
          ['STARTING', 'IN_PROGRESS'].includes(task.Status) && (
            <button className="danger" onClick={cancel}>
              Cancel export
            </button>
          )
        }
      >
        <FaultAlert error={error} />
        {task && (
          <>
            <div className="task-status">
              <StatusBadge status={task.Status} />
              <ProgressBar percent={task.PercentProgress} />
            </div>
            {task.FailureCause && (
              <div className="alert error" role="alert" aria-label="Failure cause">
                <strong>Failure cause</strong>: {task.FailureCause}
              </div>
            )}
            <dl className="fields">
              <Field name="Source">{task.SourceArn}</Field>
              <Field name="Source type">{task.SourceType}</Field>
              <Field name="Exported data">
                {task.ExportOnly?.length ? task.ExportOnly.join(' ') : 'All'}
              </Field>
              <Field name="S3 location">
                s3://{task.S3Bucket}/{task.S3Prefix ? `${task.S3Prefix}/` : ''}
                {task.ExportTaskIdentifier}/
              </Field>
              <Field name="IAM role">{task.IamRoleArn}</Field>
              <Field name="KMS key">{task.KmsKeyId}</Field>
              <Field name="Export time">{time(task.ExportTime)}</Field>
              <Field name="Started">{time(task.TaskStartTime)}</Field>
              <Field name="Ended">{time(task.TaskEndTime)}</Field>
              <Field name="Exported data size">{task.TotalExtractedDataInGB} GB</Field>
            </dl>
            {task.WarningMessage && (
              <details className="warnings" open>
                <summary>Warnings</summary>
                <pre>{warnings(task.WarningMessage)}</pre>
              </details>
            )}
          </>
        )}
      </Panel>
      <Panel title="Tables">
        <table aria-label="Tables">
          <thead>
            <tr>
              <th>Table</th>
              <th>Status</th>
              <th>Rows</th>
              <th>Size (GB)</th>
              <th>Partitions</th>
              <th>Extraction started</th>
              <th>Extraction ended</th>
              <th>Warning</th>
            </tr>
          </thead>
          <tbody>
            {tables.length === 0 && (
              <tr>
                <td colSpan={8} className="empty">
                  The tables are listed once the export is planned.
                </td>
              </tr>
            )}
            {tables.map((table) => {
              const partitions = table.tableStatistics.partitioningInfo;
              return (
                <tr key={table.target}>
                  <td>{table.target}</td>
                  <td>
                    <StatusBadge status={table.status} />
                  </td>
                  <td className="number">{table.tableStatistics.rowCount.toLocaleString('en-US')}</td>
                  <td className="number">{table.sizeGB}</td>
                  <td className="number">
                    {partitions
                      ? `${partitions.numberOfCompletedPartitions} / ${partitions.numberOfPartitions}`
                      : '–'}
                  </td>
                  <td>{time(table.tableStatistics.extractionStartTime)}</td>
                  <td>{time(table.tableStatistics.extractionEndTime)}</td>
                  <td title={table.warningDetail}>{table.warningMessage ?? ''}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </Panel>
    </>
  );
}
