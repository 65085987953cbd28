import { useEffect, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { Credentials } from './api';
import { ExportForm } from './ExportForm';
import { ExportsPage } from './Exports';
import { SignIn } from './SignIn';
import { SnapshotsPage } from './Snapshots';
import { TaskPage } from './TaskPage';
import './console.css';

const STORAGE_KEY = 'snapex.credentials';

function storedCredentials(): Credentials | undefined {
  const stored = sessionStorage.getItem(STORAGE_KEY);
  return stored ? (JSON.parse(stored) as Credentials) : undefined;
}

function useHash(): string {
  const [hash, setHash] = useState(location.hash);
  useEffect(() => {
    const changed = () => setHash(location.hash);
    window.addEventListener('hashchange', changed);
    return () => window.removeEventListener('hashchange', changed);
  }, []);
  return hash;
}

function Page({ credentials, hash }: { credentials: Credentials; hash: string }) {
  const [path, query = ''] = hash.replace(/^#/, '').split('?');
  const task = /^\/exports\/(.+)$/.exec(path);
  if (task)
    return <TaskPage key={task[1]} credentials={credentials} identifier={decodeURIComponent(task[1])} />;
  if (path === '/export') {
    const source = new URLSearchParams(query).get('source') ?? '';
    return <ExportForm key={source} credentials={credentials} sourceArn={source} />;
  }
  if (path === '/exports') return <ExportsPage credentials={credentials} />;
  return <SnapshotsPage credentials={credentials} />;
}

function App() {
  const [credentials, setCredentials] = useState(storedCredentials);
  const hash = useHash();

  if (!credentials) {
    return (
      <SignIn
        onSignedIn={(signedIn) => {
          sessionStorage.setItem(STORAGE_KEY, JSON.stringify(signedIn));
          setCredentials(signedIn);
        }}
      />
    );
  }
  const who = credentials.kind === 'access-key' ? credentials.accessKeyId : 'API key';
  const section = hash.startsWith('#/export') ? 'exports' : 'snapshots';
  return (
    <>
      <header className="top-bar">
        <span className="brand">snapex</span>
        <nav>
          <a href="#/snapshots" aria-current={section === 'snapshots' ? 'page' : undefined}>
            Snapshots
          </a>
          <a href="#/exports" aria-current={section === 'exports' ? 'page' : undefined}>
            Exports in Amazon S3
          </a>
        </nav>
        <span className="who">{who}</span>
        <button
          onClick={() => {
            sessionStorage.removeItem(STORAGE_KEY);
            setCredentials(undefined);
          }}
        >
          Sign out
        </button>
      </header>
      <main>
        <Page credentials={credentials} hash={hash} />
      </main>
    </>
  );
}

createRoot(document.getElementById('root')!).render(<App />);
