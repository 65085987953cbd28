import { counter, gauge, withinMs } from '@snapex/telemetry';
import { ConsumerInfo } from 'nats';

/** A durable consumer this process pulls from, asked for its backlog on each scrape. */
export interface ConsumerBacklog {
  stream: string;
  consumer: string;
  info(): Promise<ConsumerInfo>;
}

const backlogs = new Set<ConsumerBacklog>();
/** A consumer that has not told its backlog within this long is left out of the scrape. */
const INFO_TIMEOUT_MS = 2000;

export function watchBacklog(backlog: ConsumerBacklog): () => void {
  backlogs.add(backlog);
  return () => backlogs.delete(backlog);
}

type Backlogs = { backlog: ConsumerBacklog; info: ConsumerInfo }[];

/** One scrape's answer, shared by the gauges that read it, so each consumer is asked once a scrape. */
let recent: { at: number; infos: Promise<Backlogs> } | null = null;
const SHARED_FOR_MS = 1000;

/** Every watched consumer's info; one that cannot be asked now (NATS down) is left out. */
function consumerInfos(): Promise<Backlogs> {
  if (recent && Date.now() - recent.at < SHARED_FOR_MS) return recent.infos;
  const infos = Promise.allSettled(
    [...backlogs].map(async (backlog) => ({
      backlog,
      info: await withinMs(backlog.info(), INFO_TIMEOUT_MS),
    })),
  ).then((settled) => settled.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : [])));
  recent = { at: Date.now(), infos };
  return infos;
}

/** A gauge of every watched consumer, read from its info on each scrape. */
function backlogGauge(name: string, help: string, value: (info: ConsumerInfo) => number): void {
  gauge({
    name,
    help,
    labelNames: ['stream', 'consumer'] as const,
    async collect() {
      this.reset();
      for (const { backlog, info } of await consumerInfos()) {
        this.set({ stream: backlog.stream, consumer: backlog.consumer }, value(info));
      }
    },
  });
}

backlogGauge(
  'snapex_jetstream_consumer_pending_messages',
  'Messages of the stream not yet delivered to the consumer (JetStream num_pending): the backlog',
  (info) => info.num_pending,
);

backlogGauge(
  'snapex_jetstream_consumer_ack_pending_messages',
  'Messages delivered to the consumer and not yet acknowledged (JetStream num_ack_pending): work in flight',
  (info) => info.num_ack_pending,
);

/** Messages handled, by subject and outcome (acked, retried, terminated). */
export const messagesHandled = counter({
  name: 'snapex_messages_handled_total',
  help: 'Messages handled by this process, by subject and outcome',
  labelNames: ['subject', 'outcome'] as const,
});
