import { FormEvent, useState } from 'react';
import { callApi, Cluster, Credentials, deleteSnapshot, listSnapshots, Snapshot } from './api';
import { FaultAlert, navigate, Panel, StatusBadge, Tabs, time, useAction, usePolling } from './ui';

function exportFrom(arn: string): void {
  navigate(`#/export?source=${encodeURIComponent(arn)}`);
}

/** Clusters and their snapshots: take, delete and export snapshots, or export a cluster live. */
export function SnapshotsPage({ credentials }: { credentials: Credentials }) {
  const [tab, setTab] = useState<'manual' | 'automated'>('manual');
  const [clusters, setClusters] = useState<Cluster[]>([]);
  const [snapshots, setSnapshots] = useState<Snapshot[]>();
  const [error, setError] = useState<unknown>();
  const deletion = useAction();
  const busy = snapshots?.some((s) => s.status === 'creating' || s.status === 'deleting') ?? false;

  const load = () => {
    callApi<{ DBClusters: Cluster[] }>(credentials, '/v1/DescribeDBClusters', {})
      .then((result) => setClusters(result.DBClusters))
      .catch(setError);
    listSnapshots(credentials, tab).then(setSnapshots).catch(setError);
  };
  usePolling(load, 2000, busy, [tab]);

  const remove = (snapshot: Snapshot) =>
    deletion.run(async () => {
      await deleteSnapshot(credentials, snapshot);
      load();
    });

  return (
    <>
      <Panel title="Clusters">
        <table>
          <thead>
            <tr>
              <th>Cluster</th>
              <th>Engine</th>
              <th>Status</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {clusters.map((cluster) => (
              <tr key={cluster.DBClusterArn}>
                <td>{cluster.DBClusterIdentifier}</td>
                <td>{cluster.Engine}</td>
                <td>{cluster.Status}</td>
                <td className="row-actions">
                  <button onClick={() => exportFrom(cluster.DBClusterArn)}>Export to Amazon S3</button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        <CreateSnapshotForm
          credentials={credentials}
          clusters={clusters}
          onCreated={() => setTab('manual')}
          reload={load}
        />
      </Panel>
      <Panel title="Snapshots">
        <Tabs tabs={{ manual: 'Manual', automated: 'Automated' }} selected={tab} onSelect={setTab} />
        <FaultAlert error={error ?? deletion.error} />
        <table aria-label={`${tab} snapshots`}>
          <thead>
            <tr>
              <th>Snapshot</th>
              <th>Source</th>
              <th>Kind</th>
              <th>Engine</th>
              <th>Status</th>
              <th>Progress</th>
              <th>Snapshot time</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {snapshots?.length === 0 && (
              <tr>
                <td colSpan={8} className="empty">
                  No {tab} snapshots.
                </td>
              </tr>
            )}
            {snapshots?.map((snapshot) => (
              <tr key={snapshot.arn}>
                <td>{snapshot.identifier}</td>
                <td>{snapshot.source}</td>
                <td>{snapshot.kind}</td>
                <td>{snapshot.engine}</td>
                <td title={snapshot.failureReason}>
                  <StatusBadge status={snapshot.status} />
                </td>
                <td>{snapshot.percentProgress}%</td>
                <td>{time(snapshot.createTime)}</td>
                <td className="row-actions">
                  <button disabled={snapshot.status !== 'available'} onClick={() => exportFrom(snapshot.arn)}>
                    Export to Amazon S3
                  </button>
                  {snapshot.snapshotType === 'manual' && (
                    <button className="danger" onClick={() => remove(snapshot)}>
                      Delete
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </Panel>
    </>
  );
}

function CreateSnapshotForm(props: {
  credentials: Credentials;
  clusters: Cluster[];
  onCreated: () => void;
  reload: () => void;
}) {
  const [identifier, setIdentifier] = useState('');
  const [source, setSource] = useState('');
  const [kind, setKind] = useState<'cluster' | 'instance'>('cluster');
  const { run, error } = useAction();

  async function submit(event: FormEvent) {
    event.preventDefault();
    const sourceName = source || props.clusters[0]?.DBClusterIdentifier || '';
    await run(async () => {
      if (kind === 'cluster') {
        await callApi(props.credentials, '/v1/CreateDBClusterSnapshot', {
          DBClusterSnapshotIdentifier: identifier,
          DBClusterIdentifier: sourceName,
        });
      } else {
        await callApi(props.credentials, '/v1/CreateDBSnapshot', {
          DBSnapshotIdentifier: identifier,
          DBInstanceIdentifier: sourceName,
        });
      }
      setIdentifier('');
      props.onCreated();
      props.reload();
    });
  }

  return (
    <form className="inline-form" onSubmit={submit} aria-label="Take a manual snapshot">
      <label>
        Snapshot identifier
        <input value={identifier} onChange={(e) => setIdentifier(e.target.value)} />
      </label>
      <label>
        Of
        <select value={source} onChange={(e) => setSource(e.target.value)}>
          {props.clusters.map((cluster) => (
            <option key={cluster.DBClusterIdentifier}>{cluster.DBClusterIdentifier}</option>
          ))}
        </select>
      </label>
      <label>
        Kind
        <select value={kind} onChange={(e) => setKind(e.target.value as 'cluster' | 'instance')}>
          <option value="cluster">DB cluster snapshot</option>
          <option value="instance">DB snapshot</option>
        </select>
      </label>
      <button type="submit">Take snapshot</button>
      <FaultAlert error={error} />
    </form>
  );
}
