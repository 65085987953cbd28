import { Injectable } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import {
  BusWiringError,
  ConsumerTuning,
  EventPublisher,
  OnEvent,
  PermanentError,
  RetryableError,
} from '@snapex/bus';
import { parseConfig } from '@snapex/config';
import {
  CancelRequested,
  EventContract,
  EventPayload,
  eventIdFor,
  TaskCanceled,
  TaskFailed,
} from '@snapex/contracts';
import { createLogger } from '@snapex/logging';
import { ServiceModule } from '@snapex/service';
import { randomUUID } from 'node:crypto';
import { connect, NatsConnection } from 'nats';

const NATS_URL = process.env.SNAPEX_TEST_NATS_URL ?? 'nats://127.0.0.1:4222';
const config = parseConfig({
  region: 'us-east-1',
  accounts: [{ id: '123456789012' }],
  nats: { url: NATS_URL, ackWaitSeconds: 5, maxDeliver: 3 },
});
const logger = createLogger('bus-test', 'silent');

function moduleWith(
  service: string,
  providers: any[],
  consumes: EventContract[] = [CancelRequested],
  tuning?: ConsumerTuning,
) {
  return ServiceModule.create({
    config,
    logger,
    failureStage: 'EXTRACTION',
    bus: { service, consumes, tuning },
    providers,
  });
}

function event(taskId: string) {
  return {
    eventId: eventIdFor(CancelRequested, taskId),
    taskId,
    accountId: '123456789012',
    exportTaskIdentifier: 'bus-test',
    occurredAt: new Date().toISOString(),
  };
}

@Injectable()
class FirstHandler {
  @OnEvent(CancelRequested)
  async handle(): Promise<void> {}
}

@Injectable()
class SecondHandler {
  @OnEvent(CancelRequested)
  async handle(): Promise<void> {}
}

@Injectable()
class Unrelated {}

describe('bus wiring and settlement', () => {
  let nats: NatsConnection;

  beforeAll(async () => {
    nats = await connect({ servers: NATS_URL });
  });

  afterAll(async () => {
    await nats.close();
  });

  it('refuses to start when a declared subject has no handler', async () => {
    const start = NestFactory.createApplicationContext(moduleWith(`bus-none-${randomUUID()}`, [Unrelated]), {
      logger: false,
    });
    await expect(start).rejects.toThrow(BusWiringError);
    await expect(
      NestFactory.createApplicationContext(moduleWith(`bus-none-${randomUUID()}`, [Unrelated]), {
        logger: false,
      }),
    ).rejects.toThrow(/snapex.export.task.cancel-requested.v1 has no handler/);
  });

  it('refuses to start when a subject has two handlers', async () => {
    await expect(
      NestFactory.createApplicationContext(
        moduleWith(`bus-two-${randomUUID()}`, [FirstHandler, SecondHandler]),
        { logger: false },
      ),
    ).rejects.toThrow(/has two handlers: FirstHandler.handle and SecondHandler.handle/);
  });

  it('refuses a handler for a subject the service does not declare', async () => {
    await expect(
      NestFactory.createApplicationContext(
        moduleWith(`bus-extra-${randomUUID()}`, [FirstHandler], [TaskCanceled]),
        { logger: false },
      ),
    ).rejects.toThrow(/which the service does not declare/);
  });

  it('redelivers after a retryable error, terminates a permanent one and fails its task once', async () => {
    const retryTask = randomUUID();
    const permanentTask = randomUUID();
    const seen: Record<string, number> = {};

    @Injectable()
    class FlakyHandler {
      @OnEvent(CancelRequested)
      async handle(payload: EventPayload<typeof CancelRequested>): Promise<void> {
        seen[payload.taskId] = (seen[payload.taskId] ?? 0) + 1;
        if (payload.taskId === retryTask && seen[retryTask] === 1) throw new RetryableError('not yet', 100);
        if (payload.taskId === permanentTask) throw new PermanentError('never');
      }
    }

    const failures: string[] = [];
    const subscription = nats.subscribe(TaskFailed.subject, {
      callback: (_error, message) => failures.push(message.json<{ taskId: string }>().taskId),
    });
    const app = await NestFactory.createApplicationContext(
      moduleWith(`bus-flaky-${randomUUID()}`, [FlakyHandler]),
      {
        logger: false,
      },
    );
    try {
      const publisher = app.get(EventPublisher);
      await publisher.publish(CancelRequested, event(retryTask));
      await publisher.publish(CancelRequested, event(permanentTask));
      await publisher.publish(CancelRequested, event(retryTask)); // same id: dropped by the server
      await waitFor(() => seen[retryTask] === 2 && failures.includes(permanentTask));
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(seen[retryTask]).toBe(2);
      expect(seen[permanentTask]).toBe(1);
      expect(failures.filter((taskId) => taskId === permanentTask)).toHaveLength(1);
      expect(failures).not.toContain(retryTask);
    } finally {
      subscription.unsubscribe();
      await app.close();
    }
  });

  it('hands long jobs to an idle replica before a busy one takes a second', async () => {
    const service = `bus-spread-${randomUUID()}`;
    const tasks: string[] = [randomUUID(), randomUUID()];
    const handledBy = new Map<string, string>();
    let release: () => void = () => undefined;
    const released = new Promise<void>((resolve) => (release = resolve));

    function replica(name: string) {
      @Injectable()
      class SlowHandler {
        @OnEvent(CancelRequested)
        async handle(payload: EventPayload<typeof CancelRequested>): Promise<void> {
          // The stream still holds earlier tests' messages, which a new consumer also receives.
          if (!tasks.includes(payload.taskId)) return;
          handledBy.set(payload.taskId, name);
          await released;
        }
      }
      return NestFactory.createApplicationContext(
        moduleWith(service, [SlowHandler], [CancelRequested], { concurrency: 2 }),
        { logger: false },
      );
    }

    const replicas = [await replica('first'), await replica('second')];
    try {
      const publisher = replicas[0].get(EventPublisher);
      for (const taskId of tasks) await publisher.publish(CancelRequested, event(taskId));
      await waitFor(() => handledBy.size === 2);
      expect(new Set(handledBy.values())).toEqual(new Set(['first', 'second']));
    } finally {
      release();
      for (const app of replicas) await app.close();
    }
  });

  it('rejects a published payload that breaks its contract', async () => {
    const app = await NestFactory.createApplicationContext(
      moduleWith(`bus-contract-${randomUUID()}`, [FirstHandler]),
      {
        logger: false,
      },
    );
    try {
      const bad = { ...event(randomUUID()), accountId: 'not-an-account' };
      await expect(app.get(EventPublisher).publish(CancelRequested, bad)).rejects.toThrow(/accountId/);
    } finally {
      await app.close();
    }
  });
});

async function waitFor(condition: () => boolean, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
