import { FormEvent, useState } from 'react';
import { callApi, Credentials, ExportTask } from './api';
import { FaultAlert, navigate, Panel, useAction } from './ui';

/** "Export to Amazon S3": the StartExportTask parameters, checked by the API, whose faults are shown. */
export function ExportForm({ credentials, sourceArn }: { credentials: Credentials; sourceArn: string }) {
  const [identifier, setIdentifier] = useState('');
  const [source, setSource] = useState(sourceArn);
  const [scope, setScope] = useState<'all' | 'partial'>('all');
  const [identifiers, setIdentifiers] = useState('');
  const [bucket, setBucket] = useState('');
  const [prefix, setPrefix] = useState('');
  const [role, setRole] = useState('');
  const [key, setKey] = useState('');
  const { run, busy, error } = useAction();

  async function submit(event: FormEvent) {
    event.preventDefault();
    const exportOnly = identifiers.split(/[\s,]+/).filter((item) => item.length > 0);
    await run(async () => {
      const task = await callApi<ExportTask>(credentials, '/v1/StartExportTask', {
        ExportTaskIdentifier: identifier,
        SourceArn: source,
        S3BucketName: bucket,
        IamRoleArn: role,
        KmsKeyId: key,
        ...(prefix ? { S3Prefix: prefix } : {}),
        ...(scope === 'partial' ? { ExportOnly: exportOnly } : {}),
      });
      navigate(`#/exports/${encodeURIComponent(task.ExportTaskIdentifier)}`);
    });
  }

  return (
    <Panel title="Export to Amazon S3">
      <form className="stacked-form" onSubmit={submit}>
        <label>
          Export identifier
          <input value={identifier} onChange={(e) => setIdentifier(e.target.value)} />
          <small>1–63 letters, digits and hyphens, beginning with a letter. Unique in your account.</small>
        </label>
        <label>
          Source ARN
          <input value={source} onChange={(e) => setSource(e.target.value)} />
          <small>A cluster, DB snapshot or DB cluster snapshot of your account.</small>
        </label>
        <fieldset>
          <legend>Exported data</legend>
          <label className="choice">
            <input type="radio" name="scope" checked={scope === 'all'} onChange={() => setScope('all')} />
            All
          </label>
          <label className="choice">
            <input
              type="radio"
              name="scope"
              checked={scope === 'partial'}
              onChange={() => setScope('partial')}
            />
            Partial
          </label>
          {scope === 'partial' && (
            <label>
              Identifiers
              <textarea value={identifiers} onChange={(e) => setIdentifiers(e.target.value)} rows={3} />
              <small>database, database.schema or database.schema.table, separated by spaces.</small>
            </label>
          )}
        </fieldset>
        <label>
          S3 bucket
          <input value={bucket} onChange={(e) => setBucket(e.target.value)} />
        </label>
        <label>
          S3 prefix (optional)
          <input value={prefix} onChange={(e) => setPrefix(e.target.value)} />
        </label>
        <label>
          IAM role
          <input value={role} onChange={(e) => setRole(e.target.value)} placeholder="arn:aws:iam::…:role/…" />
        </label>
        <label>
          AWS KMS key
          <input
            value={key}
            onChange={(e) => setKey(e.target.value)}
            placeholder="key ARN, key id or alias"
          />
        </label>
        <FaultAlert error={error} />
        <div className="form-actions">
          <button type="button" onClick={() => history.back()}>
            Cancel
          </button>
          <button className="primary" type="submit" disabled={busy}>
            Export to Amazon S3
          </button>
        </div>
      </form>
    </Panel>
  );
}
