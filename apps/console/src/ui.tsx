import { ReactNode, useEffect, useRef, useState } from 'react';
import { ApiFault } from './api';

/** The API's fault, code and message as it gave them. */
export function FaultAlert({ error }: { error: unknown }) {
  if (!error) return null;
  const code = error instanceof ApiFault ? error.code : 'Error';
  const message = error instanceof Error ? error.message : String(error);
  return (
    <div className="alert error" role="alert">
      <strong>{code}</strong>: {message}
    </div>
  );
}

export function StatusBadge({ status }: { status: string }) {
  return <span className={`badge status-${status.toLowerCase().replace(/_/g, '-')}`}>{status}</span>;
}

export function ProgressBar({ percent }: { percent: number }) {
  return (
    <div
      className="progress"
      role="progressbar"
      aria-valuenow={percent}
      aria-valuemin={0}
      aria-valuemax={100}
    >
      <div className="progress-fill" style={{ width: `${percent}%` }} />
      <span className="progress-label">{percent}%</span>
    </div>
  );
}

export function time(value: string | null | undefined): string {
  if (!value) return '–';
  return new Date(value)
    .toISOString()
    .replace('T', ' ')
    .replace(/\.\d+Z$/, ' UTC');
}

export function Panel({
  title,
  actions,
  children,
}: {
  title: string;
  actions?: ReactNode;
  children: ReactNode;
}) {
  return (
    <section className="panel">
      <header className="panel-header">
        <h2>{title}</h2>
        <div className="panel-actions">{actions}</div>
      </header>
      {children}
    </section>
  );
}

/** Calls `tick` now and every `intervalMs` while `active`; the latest `tick` is always the one called. */
export function usePolling(tick: () => void, intervalMs: number, active: boolean, deps: unknown[]): void {
  const latest = useRef(tick);
  latest.current = tick;
  useEffect(() => {
    latest.current();
    if (!active) return;
    const timer = setInterval(() => latest.current(), intervalMs);
    return () => clearInterval(timer);
  }, [active, intervalMs, ...deps]);
}

export function navigate(hash: string): void {
  location.hash = hash;
}

/** A user's action against the API: whether it is under way, and the fault it ended with. */
export function useAction() {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const run = async (action: () => Promise<unknown>) => {
    setBusy(true);
    setError(undefined);
    try {
      await action();
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  };
  return { run, busy, error };
}

export function Tabs<T extends string>(props: {
  tabs: Record<T, string>;
  selected: T;
  onSelect: (tab: T) => void;
}) {
  return (
    <div className="tabs" role="tablist">
      {(Object.keys(props.tabs) as T[]).map((tab) => (
        <button
          key={tab}
          type="button"
          role="tab"
          aria-selected={props.selected === tab}
          onClick={() => props.onSelect(tab)}
        >
          {props.tabs[tab]}
        </button>
      ))}
    </div>
  );
}
