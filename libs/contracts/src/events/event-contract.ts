import { z } from 'zod';

export const STREAMS = {
  /** Lifecycle events of export tasks and snapshots; every service reads its own durable view of it. */
  events: { name: 'SNAPEX_EVENTS', subjects: ['snapex.export.>', 'snapex.snapshot.>'] },
  /** Partitions waiting for an extractor and snapshots waiting for a dump; each taken by one replica. */
  work: { name: 'SNAPEX_WORK', subjects: ['snapex.work.>'] },
  /** Per-account notifications for subscribers outside snapex. */
  notifications: { name: 'SNAPEX_NOTIFICATIONS', subjects: ['snapex.notifications.>'] },
} as const;
export type StreamKey = keyof typeof STREAMS;

export const EventBaseSchema = z.object({
  /** Idempotency key: derived from business ids, so a republished event carries the same id. */
  eventId: z.string().min(1),
  taskId: z.string().uuid(),
  accountId: z.string().regex(/^\d{12}$/),
  exportTaskIdentifier: z.string().min(1),
  occurredAt: z.string().datetime(),
});
export type EventBase = z.infer<typeof EventBaseSchema>;

export interface EventContract<
  TSubject extends string = string,
  TSchema extends z.ZodTypeAny = z.ZodTypeAny,
> {
  readonly name: string;
  readonly subject: TSubject;
  readonly stream: StreamKey;
  readonly schema: TSchema;
}

export type EventPayload<C extends EventContract> = z.infer<C['schema']>;

export function defineEvent<TSubject extends string, TSchema extends z.ZodTypeAny>(
  name: string,
  subject: TSubject,
  stream: StreamKey,
  schema: TSchema,
): EventContract<TSubject, TSchema> {
  return { name, subject, stream, schema };
}

/** The idempotency key of an event: the same business fact always gets the same id. */
export function eventIdFor(contract: EventContract, taskId: string, ...parts: (string | number)[]): string {
  return [contract.name, taskId, ...parts].join(':');
}

/** The fields every event of a task repeats, stamped now; eventId is added by the publisher of each fact. */
export function taskEventFields(task: { taskId: string; accountId: string; exportTaskIdentifier: string }) {
  return {
    taskId: task.taskId,
    accountId: task.accountId,
    exportTaskIdentifier: task.exportTaskIdentifier,
    occurredAt: new Date().toISOString(),
  };
}
