import { BeforeApplicationShutdown, Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { DiscoveryService, MetadataScanner } from '@nestjs/core';
import {
  EventContract,
  eventIdFor,
  FailureMessages,
  Fault,
  RpcContract,
  TaskFailed,
  taskEventFields,
} from '@snapex/contracts';
import { Logger } from '@snapex/logging';
import { inSpan, SpanKind } from '@snapex/telemetry';
import { Msg, Subscription } from 'nats';
import { BUS_OPTIONS, BusOptions } from './bus.options';
import { failureCauseOf } from './errors';
import { ConsumerLoop, EventHandler, parsePayload } from './consumer-loop';
import { EVENT_HANDLER, RPC_HANDLER, SIGNAL_HANDLER } from './decorators';
import { NatsConnectionHolder } from './nats-connection';
import { EventPublisher } from './publisher';
import { provisionStreams } from './streams';
import { messageAttributes, traceContextOf } from './trace-headers';
import { BUS_LOGGER, FAILURE_STAGE, FailureStage } from './tokens';

type Bound = {
  contract: EventContract | RpcContract;
  handler: (...args: unknown[]) => Promise<unknown>;
  owner: string;
};

export class BusWiringError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BusWiringError';
  }
}

/**
 * Finds every @OnEvent/@OnRpc/@OnSignal method, refuses to start when a declared subject has no
 * handler or two, or when a handler exists for a subject the service does not declare, then starts
 * durable consumers, request/reply responders and broadcast listeners.
 */
@Injectable()
export class BusRuntime implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly loops: ConsumerLoop[] = [];
  private readonly subscriptions: Subscription[] = [];

  constructor(
    @Inject(BUS_OPTIONS) private readonly options: BusOptions,
    @Inject(NatsConnectionHolder) private readonly nats: NatsConnectionHolder,
    @Inject(EventPublisher) private readonly publisher: EventPublisher,
    @Inject(BUS_LOGGER) private readonly logger: Logger,
    @Inject(FAILURE_STAGE) private readonly failureStage: FailureStage | null,
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    try {
      await this.start();
    } catch (error) {
      // Nest runs no shutdown hooks for a context that failed to start; do not leave the connection open.
      await this.nats.connection.close();
      throw error;
    }
  }

  private async start(): Promise<void> {
    const events = this.wire(EVENT_HANDLER, this.options.consumes, 'event');
    const rpcs = this.wire(RPC_HANDLER, this.options.serves ?? [], 'request/reply');
    const signals = this.wire(SIGNAL_HANDLER, this.options.listens ?? [], 'signal');
    await provisionStreams(this.nats.manager, this.options.streamReplicas);
    for (const [subject, bound] of rpcs) this.serveRpc(subject, bound);
    for (const [subject, bound] of signals) this.listen(subject, bound);
    for (const bound of events.values()) await this.consume(bound);
    this.logger.info(
      { consumes: [...events.keys()], serves: [...rpcs.keys()], listens: [...signals.keys()] },
      'bus wired',
    );
  }

  /**
   * Before any onApplicationShutdown: Nest runs those of one module side by side, and the connection
   * would start draining while a handler still has its outcome to publish and its message to ack —
   * a partition uploaded but never reported would be exported again after the restart.
   */
  async beforeApplicationShutdown(): Promise<void> {
    for (const subscription of this.subscriptions) subscription.unsubscribe();
    await Promise.all(this.loops.map((loop) => loop.stop()));
  }

  private wire(
    key: symbol,
    declared: readonly (EventContract | RpcContract)[],
    kind: string,
  ): Map<string, Bound> {
    const found = this.discover(key);
    const declaredSubjects = new Set(declared.map((contract) => contract.subject));
    const bySubject = new Map<string, Bound>();
    for (const bound of found) {
      const subject = bound.contract.subject;
      if (!declaredSubjects.has(subject)) {
        throw new BusWiringError(
          `${this.options.service}: ${bound.owner} handles ${kind} ${subject}, which the service does not declare`,
        );
      }
      const other = bySubject.get(subject);
      if (other) {
        throw new BusWiringError(
          `${this.options.service}: ${kind} ${subject} has two handlers: ${other.owner} and ${bound.owner}`,
        );
      }
      bySubject.set(subject, bound);
    }
    for (const subject of declaredSubjects) {
      if (!bySubject.has(subject))
        throw new BusWiringError(`${this.options.service}: ${kind} ${subject} has no handler`);
    }
    return bySubject;
  }

  private discover(key: symbol): Bound[] {
    const bound: Bound[] = [];
    for (const wrapper of this.discovery.getProviders()) {
      const instance = wrapper.instance as Record<string, unknown> | undefined;
      if (!instance || typeof instance !== 'object') continue;
      const prototype = Object.getPrototypeOf(instance) as object;
      for (const method of this.scanner.getAllMethodNames(prototype)) {
        const contract = Reflect.getMetadata(key, prototype, method) as
          EventContract | RpcContract | undefined;
        if (!contract) continue;
        const handler = (instance[method] as (...args: unknown[]) => Promise<unknown>).bind(instance);
        bound.push({ contract, handler, owner: `${instance.constructor.name}.${method}` });
      }
    }
    return bound;
  }

  private async consume(bound: Bound): Promise<void> {
    const contract = bound.contract as EventContract;
    const tuning = { ...this.options.tuning, ...this.options.tuning?.perSubject?.[contract.subject] };
    const loop = new ConsumerLoop(this.nats, {
      service: this.options.service,
      contract,
      handler: bound.handler as EventHandler,
      concurrency: tuning.concurrency ?? 1,
      ackWaitSeconds: tuning.ackWaitSeconds ?? 60,
      maxDeliver: tuning.maxDeliver ?? 10,
      onGiveUp: (failed, payload, error) => this.reportGiveUp(failed, payload, error),
      logger: this.logger,
    });
    await loop.start();
    this.loops.push(loop);
  }

  private serveRpc(subject: string, bound: Bound): void {
    const contract = bound.contract as RpcContract;
    const subscription = this.nats.connection.subscribe(subject, {
      queue: this.options.service,
      callback: (error, message) => {
        if (error) return this.logger.error({ err: error, subject }, 'request subscription failed');
        void inSpan(
          `serve ${subject}`,
          { kind: SpanKind.SERVER, parent: traceContextOf(message), attributes: messageAttributes(subject) },
          () => this.answer(contract, bound, message.string()),
        ).then((reply) => message.respond(JSON.stringify(reply)));
      },
    });
    this.subscriptions.push(subscription);
  }

  private async answer(contract: RpcContract, bound: Bound, body: string) {
    try {
      const request = contract.request.safeParse(JSON.parse(body));
      if (!request.success) {
        const detail = request.error.issues
          .map((issue) => `${issue.path.join('.')}: ${issue.message}`)
          .join('; ');
        return { ok: false, fault: new Fault('InvalidParameterValue', detail).toBody() };
      }
      const result = contract.response.parse(await bound.handler(request.data));
      return { ok: true, result };
    } catch (error) {
      if (error instanceof Fault) return { ok: false, fault: error.toBody() };
      this.logger.error({ err: error, subject: contract.subject }, 'request handler failed');
      return {
        ok: false,
        fault: new Fault('InternalFailure', 'An internal error occurred. Try again later.').toBody(),
      };
    }
  }

  private listen(subject: string, bound: Bound): void {
    const contract = bound.contract as EventContract;
    const subscription = this.nats.connection.subscribe(subject, {
      callback: (error, message) => {
        if (error) return this.logger.error({ err: error, subject }, 'signal subscription failed');
        void Promise.resolve()
          .then(() => this.signal(contract, bound, message))
          .catch((handlerError: unknown) =>
            this.logger.warn({ err: handlerError, subject }, 'signal handler failed'),
          );
      },
    });
    this.subscriptions.push(subscription);
  }

  private async signal(contract: EventContract, bound: Bound, message: Msg): Promise<void> {
    const payload = parsePayload(contract, message);
    await inSpan(
      `signal ${contract.name}`,
      {
        kind: SpanKind.CONSUMER,
        parent: traceContextOf(message),
        attributes: messageAttributes(message.subject, payload),
      },
      () => bound.handler(payload, { subject: message.subject, attempt: 1 }) as Promise<void>,
    );
  }

  /**
   * A task whose event could not be handled fails rather than hanging: with the cause the error gives
   * (a TaskFailureError, or a RetryableError that names one), else RDS's generic one.
   */
  private async reportGiveUp(contract: EventContract, payload: unknown, error: unknown): Promise<void> {
    if (!this.failureStage || contract.name === TaskFailed.name) return;
    const task = payload as { taskId: string; accountId: string; exportTaskIdentifier: string };
    this.logger.error({ err: error, taskId: task.taskId, event: contract.name }, 'failing the task');
    await this.publisher.publish(TaskFailed, {
      eventId: eventIdFor(TaskFailed, task.taskId, this.failureStage, contract.name),
      ...taskEventFields(task),
      stage: this.failureStage,
      failureCause: failureCauseOf(error) ?? FailureMessages.unknown(),
    });
  }
}
