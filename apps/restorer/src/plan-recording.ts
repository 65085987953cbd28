import { Inject, Injectable } from '@nestjs/common';
import { RpcClient } from '@snapex/bus';
import {
  ProposeTablePlansRpc,
  RecordPlanRpc,
  SkippedObjective,
  TablePlanEntry,
  TaskSpec,
} from '@snapex/contracts';
import { PinnedReadPoint } from '@snapex/engines';
import { Logger } from '@snapex/logging';

/** Proposals stay well below NATS's default 1 MiB message size, however wide the tables. */
const PROPOSAL_BYTES = 256 * 1024;

/** A plan being made: its tables in export order, and the live read points its partitions read at. */
export class PlanDraft {
  readonly entries: TablePlanEntry[] = [];
  /** Warnings about the export as a whole, RDS's WarningMessage `general` list. */
  readonly general: { reason: string; detail?: string }[] = [];
  exportTime: Date | null = null;
  /** ExportOnly entries that matched nothing the source holds. */
  skippedObjectives: SkippedObjective[] = [];
  private livePoints: PinnedReadPoint[] = [];

  constructor(readonly attempt: string) {}

  get partitionCount(): number {
    return this.entries.reduce((sum, entry) => sum + (entry.kind === 'planned' ? entry.ranges.length : 0), 0);
  }

  keepLivePoint(point: PinnedReadPoint): void {
    this.livePoints.push(point);
  }

  /** Hands the live read points over to whoever holds them from now on. */
  takeLivePoints(): PinnedReadPoint[] {
    const points = this.livePoints;
    this.livePoints = [];
    return points;
  }

  /** Points nobody took: the plan was not recorded, or planning failed. */
  async releaseUnheldPoints(): Promise<void> {
    await Promise.allSettled(this.takeLivePoints().map((point) => point.release()));
  }
}

/** Hands a draft to the registry, which keeps the first plan recorded for a task and refuses the rest. */
@Injectable()
export class PlanRecording {
  constructor(@Inject(RpcClient) private readonly rpc: RpcClient) {}

  /** True when this draft is the task's plan; false when another was recorded first or it was refused. */
  async record(spec: TaskSpec, draft: PlanDraft, log: Logger): Promise<boolean> {
    const attempt = { taskId: spec.taskId, attempt: draft.attempt };
    for (const entries of proposals(draft.entries)) {
      const { recordedAttempt } = await this.rpc.call(ProposeTablePlansRpc, { ...attempt, entries });
      if (recordedAttempt !== null) return this.lost(recordedAttempt, draft, log);
    }
    const outcome = await this.rpc.call(RecordPlanRpc, {
      ...attempt,
      entryCount: draft.entries.length,
      exportTime: (draft.exportTime ?? new Date()).toISOString(),
      general: draft.general,
      skippedObjectives: draft.skippedObjectives,
    });
    switch (outcome.outcome) {
      case 'REFUSED':
        log.error(
          { attempt: draft.attempt, failureCause: outcome.failureCause },
          'the registry refused the plan',
        );
        return false;
      case 'RECORDED':
        if (outcome.recordedAttempt !== draft.attempt) return this.lost(outcome.recordedAttempt, draft, log);
        log.info({ attempt: draft.attempt }, 'plan recorded');
        return true;
    }
  }

  private lost(recordedAttempt: string, draft: PlanDraft, log: Logger): boolean {
    log.warn(
      { attempt: draft.attempt, recordedAttempt },
      'another planning attempt of this task was recorded first; this one is dropped',
    );
    return false;
  }
}

/** The entries in order, cut into proposals of at most PROPOSAL_BYTES (a larger table goes alone). */
function proposals(entries: TablePlanEntry[]): TablePlanEntry[][] {
  const batches: TablePlanEntry[][] = [];
  let batch: TablePlanEntry[] = [];
  let bytes = 0;
  for (const entry of entries) {
    const size = JSON.stringify(entry).length;
    if (batch.length > 0 && bytes + size > PROPOSAL_BYTES) {
      batches.push(batch);
      batch = [];
      bytes = 0;
    }
    batch.push(entry);
    bytes += size;
  }
  if (batch.length > 0) batches.push(batch);
  return batches;
}
