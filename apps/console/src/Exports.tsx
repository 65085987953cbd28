import { FormEvent, useState } from 'react';
import { ACTIVE_STATUSES, callApi, cancelExport, Credentials, ExportTask } from './api';
import { FaultAlert, Panel, ProgressBar, StatusBadge, time, usePolling } from './ui';

const STATUSES = ['STARTING', 'IN_PROGRESS', 'COMPLETE', 'FAILED', 'CANCELING', 'CANCELED'];

interface Criteria {
  identifier: string;
  bucket: string;
  status: string;
  sourceType: string;
  pageSize: number;
}

/** DescribeExportTasks as a request body: RDS's filters for what is set. */
function requestOf(criteria: Criteria, marker: string | undefined) {
  const filters = [
    criteria.identifier && { Name: 'export-task-identifier', Values: [criteria.identifier] },
    criteria.bucket && { Name: 's3-bucket', Values: [criteria.bucket] },
    criteria.status && { Name: 'status', Values: [criteria.status] },
  ].filter(Boolean);
  return {
    MaxRecords: criteria.pageSize,
    ...(filters.length > 0 ? { Filters: filters } : {}),
    ...(criteria.sourceType ? { SourceType: criteria.sourceType } : {}),
    ...(marker ? { Marker: marker } : {}),
  };
}

/** "Exports in Amazon S3": the account's export tasks, newest first, filtered and a page at a time. */
export function ExportsPage({ credentials }: { credentials: Credentials }) {
  const empty: Criteria = { identifier: '', bucket: '', status: '', sourceType: '', pageSize: 20 };
  const [draft, setDraft] = useState<Criteria>(empty);
  const [criteria, setCriteria] = useState<Criteria>(empty);
  // Markers of the pages before this one; the current page's own marker is the last.
  const [markers, setMarkers] = useState<(string | undefined)[]>([undefined]);
  const [page, setPage] = useState<{ ExportTasks: ExportTask[]; Marker?: string }>();
  const [error, setError] = useState<unknown>();
  const marker = markers[markers.length - 1];
  const active = page?.ExportTasks.some((task) => ACTIVE_STATUSES.includes(task.Status)) ?? false;

  const load = () =>
    callApi<{ ExportTasks: ExportTask[]; Marker?: string }>(
      credentials,
      '/v1/DescribeExportTasks',
      requestOf(criteria, marker),
    )
      .then((result) => {
        setPage(result);
        setError(undefined);
      })
      .catch(setError);
  usePolling(load, 2000, active, [criteria, marker]);

  function applyFilters(event: FormEvent) {
    event.preventDefault();
    setCriteria(draft);
    setMarkers([undefined]);
  }

  async function cancel(identifier: string) {
    try {
      await cancelExport(credentials, identifier);
      await load();
    } catch (failure) {
      setError(failure);
    }
  }

  return (
    <Panel title="Exports in Amazon S3">
      <form className="inline-form filters" onSubmit={applyFilters} aria-label="Filters">
        <label>
          Export identifier
          <input
            value={draft.identifier}
            onChange={(e) => setDraft({ ...draft, identifier: e.target.value })}
          />
        </label>
        <label>
          S3 bucket
          <input value={draft.bucket} onChange={(e) => setDraft({ ...draft, bucket: e.target.value })} />
        </label>
        <label>
          Status
          <select value={draft.status} onChange={(e) => setDraft({ ...draft, status: e.target.value })}>
            <option value="">Any</option>
            {STATUSES.map((status) => (
              <option key={status}>{status}</option>
            ))}
          </select>
        </label>
        <label>
          Source type
          <select
            value={draft.sourceType}
            onChange={(e) => setDraft({ ...draft, sourceType: e.target.value })}
          >
            <option value="">Any</option>
            <option>CLUSTER</option>
            <option>SNAPSHOT</option>
          </select>
        </label>
        <label>
          Page size
          <select
            value={draft.pageSize}
            onChange={(e) => setDraft({ ...draft, pageSize: Number(e.target.value) })}
          >
            {[20, 50, 100].map((size) => (
              <option key={size}>{size}</option>
            ))}
          </select>
        </label>
        <button type="submit">Apply filters</button>
      </form>
      <FaultAlert error={error} />
      <table aria-label="Export tasks">
        <thead>
          <tr>
            <th>Export identifier</th>
            <th>Source</th>
            <th>Source type</th>
            <th>Status</th>
            <th>Progress</th>
            <th>Started</th>
            <th>Ended</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {page?.ExportTasks.length === 0 && (
            <tr>
              <td colSpan={8} className="empty">
                No exports.
              </td>
            </tr>
          )}
          {page?.ExportTasks.map((task) => (
            <tr key={task.ExportTaskIdentifier}>
              <td>
                <a href={`#/exports/${encodeURIComponent(task.ExportTaskIdentifier)}`}>
                  {task.ExportTaskIdentifier}
                </a>
              </td>
              <td className="arn">{task.SourceArn}</td>
              <td>{task.SourceType}</td>
              <td>
                <StatusBadge status={task.Status} />
              </td>
              <td>
                <ProgressBar percent={task.PercentProgress} />
              </td>
              <td>{time(task.TaskStartTime)}</td>
              <td>{time(task.TaskEndTime)}</td>
              <td className="row-actions">
                {ACTIVE_STATUSES.includes(task.Status) && task.Status !== 'CANCELING' && (
                  <button className="danger" onClick={() => cancel(task.ExportTaskIdentifier)}>
                    Cancel
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <nav className="pager" aria-label="Pages">
        <button disabled={markers.length === 1} onClick={() => setMarkers(markers.slice(0, -1))}>
          Previous page
        </button>
        <span>Page {markers.length}</span>
        <button disabled={!page?.Marker} onClick={() => setMarkers([...markers, page?.Marker])}>
          Next page
        </button>
      </nav>
    </Panel>
  );
}
