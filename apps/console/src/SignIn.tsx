import { FormEvent, useState } from 'react';
import { callApi, Credentials } from './api';
import { FaultAlert, Tabs, useAction } from './ui';

/** Signs in with an access key pair or an API key, and proves it with one call before keeping it. */
export function SignIn({ onSignedIn }: { onSignedIn: (credentials: Credentials) => void }) {
  const [kind, setKind] = useState<Credentials['kind']>('access-key');
  const [accessKeyId, setAccessKeyId] = useState('');
  const [secretAccessKey, setSecretAccessKey] = useState('');
  const [region, setRegion] = useState('us-east-1');
  const [apiKey, setApiKey] = useState('');
  const { run, busy, error } = useAction();

  async function submit(event: FormEvent) {
    event.preventDefault();
    const credentials: Credentials =
      kind === 'access-key'
        ? {
            kind,
            accessKeyId: accessKeyId.trim(),
            secretAccessKey: secretAccessKey.trim(),
            region: region.trim(),
          }
        : { kind, apiKey: apiKey.trim() };
    await run(async () => {
      await callApi(credentials, '/v1/DescribeExportTasks', { MaxRecords: 20 });
      onSignedIn(credentials);
    });
  }

  return (
    <main className="sign-in">
      <form className="panel" onSubmit={submit}>
        <h1>Sign in to snapex</h1>
        <Tabs
          tabs={{ 'access-key': 'Access key', 'api-key': 'API key' }}
          selected={kind}
          onSelect={setKind}
        />
        {kind === 'access-key' ? (
          <>
            <label>
              Access key ID
              <input
                value={accessKeyId}
                onChange={(e) => setAccessKeyId(e.target.value)}
                autoComplete="username"
              />
            </label>
            <label>
              Secret access key
              <input
                type="password"
                value={secretAccessKey}
                onChange={(e) => setSecretAccessKey(e.target.value)}
                autoComplete="current-password"
              />
            </label>
            <label>
              Region
              <input value={region} onChange={(e) => setRegion(e.target.value)} />
            </label>
          </>
        ) : (
          <label>
            API key
            <input type="password" value={apiKey} onChange={(e) => setApiKey(e.target.value)} />
          </label>
        )}
        <FaultAlert error={error} />
        <button className="primary" type="submit" disabled={busy}>
          Sign in
        </button>
        <p className="hint">
          Requests are signed in this browser; the keys stay in this tab's session storage.
        </p>
      </form>
    </main>
  );
}
