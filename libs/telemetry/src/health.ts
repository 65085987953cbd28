import { Injectable } from '@nestjs/common';

/** One dependency's answer: ready, or not with the reason. */
export type CheckResult = { ok: true } | { ok: false; reason: string };
export type ReadinessCheck = () => CheckResult | Promise<CheckResult>;

export interface ReadinessReport {
  ready: boolean;
  checks: Record<string, CheckResult>;
}

/** A check that has not answered within this long counts as failed. */
const CHECK_TIMEOUT_MS = 2000;

/**
 * What a service needs to do its work (NATS, its database, its encoder threads), asked on every
 * readiness probe. Liveness asks nothing: a process that answers HTTP is alive, and restarting it
 * because a dependency is down would not bring the dependency back.
 */
@Injectable()
export class HealthChecks {
  private readonly checks = new Map<string, ReadinessCheck>();
  private stopping = false;

  add(name: string, check: ReadinessCheck): void {
    this.checks.set(name, check);
  }

  /** The service is shutting down: it takes no new work, so it is no longer ready. */
  markStopping(): void {
    this.stopping = true;
  }

  async readiness(): Promise<ReadinessReport> {
    const entries = await Promise.all(
      [...this.checks].map(async ([name, check]) => [name, await runCheck(check)] as const),
    );
    const checks: Record<string, CheckResult> = Object.fromEntries(entries);
    if (this.stopping) checks.shutdown = { ok: false, reason: 'the service is shutting down' };
    return { ready: Object.values(checks).every((result) => result.ok), checks };
  }
}

async function runCheck(check: ReadinessCheck): Promise<CheckResult> {
  try {
    return await withinMs(Promise.resolve().then(check), CHECK_TIMEOUT_MS);
  } catch (error) {
    return { ok: false, reason: (error as Error).message };
  }
}

/** `work`'s outcome, or a rejection once `ms` have passed without one. */
export async function withinMs<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
