import { STREAMS, StreamKey } from '@snapex/contracts';
import { DiscardPolicy, JetStreamManager, nanos, RetentionPolicy, StorageType, StreamConfig } from 'nats';

const DAY_MS = 24 * 3600 * 1000;

function streamConfig(key: StreamKey, replicas: number): Partial<StreamConfig> & { name: string } {
  const { name, subjects } = STREAMS[key];
  return {
    name,
    subjects: [...subjects],
    storage: StorageType.File,
    num_replicas: replicas,
    retention: key === 'work' ? RetentionPolicy.Workqueue : RetentionPolicy.Limits,
    discard: DiscardPolicy.Old,
    max_age: key === 'work' ? 0 : nanos(7 * DAY_MS),
    // Republishing an event with the same id inside this window is dropped by the server.
    duplicate_window: nanos(30 * 60 * 1000),
  };
}

/**
 * Creates every stream, or brings an existing one to the expected settings (its replica count
 * included: JetStream adds or drops copies in place); safe on every start.
 */
export async function provisionStreams(manager: JetStreamManager, replicas: number): Promise<void> {
  for (const key of Object.keys(STREAMS) as StreamKey[]) {
    const config = streamConfig(key, replicas);
    try {
      await manager.streams.add(config);
    } catch (addError) {
      // The stream exists with other settings (or another service just created it).
      try {
        await manager.streams.update(config.name, config);
      } catch {
        throw addError;
      }
    }
  }
}
