import { EventPayload, Notification, TablePlanned } from '@snapex/contracts';
import { EventFanOut } from './delivery/event-fan-out';
import { NotificationPublisher } from './notification.publisher';
import { NotifierHandlers } from './notifier.handlers';

class RecordingPublisher {
  readonly published: Notification[] = [];

  publish(notification: Notification): Promise<void> {
    this.published.push(notification);
    return Promise.resolve();
  }
}

function tablePlanned(
  overrides: Partial<EventPayload<typeof TablePlanned>>,
): EventPayload<typeof TablePlanned> {
  return {
    eventId: 'TablePlanned:9f1c1a4e-5d43-4c1b-9a7e-0f1f1d2c3b4a:0',
    taskId: '9f1c1a4e-5d43-4c1b-9a7e-0f1f1d2c3b4a',
    accountId: '123456789012',
    exportTaskIdentifier: 'nightly',
    occurredAt: '2026-01-01T00:00:00.000Z',
    table: { tableIndex: 0, database: 'shop', schema: 'shop', table: 'events' },
    target: 'shop.shop.events',
    tableKeyPrefix: 'nightly/shop/shop.events',
    columns: [],
    partitioning: { numberOfPartitions: 1, constraintType: 'NONE', partitionColumns: [] },
    estimatedBytes: 5e9,
    ...overrides,
  };
}

describe('NotifierHandlers.tablePlanned', () => {
  it('announces a table without a partition key with RDS-EVENT-0486', async () => {
    const publisher = new RecordingPublisher();
    const handlers = new NotifierHandlers(
      publisher as unknown as NotificationPublisher,
      { fanOut: () => Promise.resolve() } as unknown as EventFanOut,
    );
    await handlers.tablePlanned(tablePlanned({ singleWorkerReason: 'NO_PARTITION_KEY' }));
    expect(publisher.published).toHaveLength(1);
    expect(publisher.published[0]).toMatchObject({
      category: 'table-single-threaded',
      rdsEventId: 'RDS-EVENT-0486',
      detail: { target: 'shop.shop.events' },
    });
  });

  it('says nothing of a small table read whole', async () => {
    const publisher = new RecordingPublisher();
    const handlers = new NotifierHandlers(
      publisher as unknown as NotificationPublisher,
      { fanOut: () => Promise.resolve() } as unknown as EventFanOut,
    );
    await handlers.tablePlanned(tablePlanned({ estimatedBytes: 8192 }));
    expect(publisher.published).toHaveLength(0);
  });
});

describe('NotifierHandlers.tableStillExporting', () => {
  it('announces a table running long with RDS-EVENT-0487, to subscriptions as well', async () => {
    const publisher = new RecordingPublisher();
    const fannedOut: string[] = [];
    const handlers = new NotifierHandlers(
      publisher as unknown as NotificationPublisher,
      {
        fanOut: (_event: unknown, notification: Notification) => {
          fannedOut.push(notification.rdsEventId ?? '');
          return Promise.resolve();
        },
      } as unknown as EventFanOut,
    );
    await handlers.tableStillExporting({
      eventId: 'TableStillExporting:9f1c1a4e-5d43-4c1b-9a7e-0f1f1d2c3b4a:0:1',
      taskId: '9f1c1a4e-5d43-4c1b-9a7e-0f1f1d2c3b4a',
      accountId: '123456789012',
      exportTaskIdentifier: 'nightly',
      occurredAt: '2026-01-01T02:00:00.000Z',
      table: { tableIndex: 0, database: 'shop', schema: 'shop', table: 'events' },
      target: 'shop.shop.events',
      extractionStartTime: '2026-01-01T00:30:00.000Z',
      periodsRunning: 1,
      bytesExported: 3 * 1024 ** 3,
    });
    expect(publisher.published[0]).toMatchObject({
      category: 'table-in-progress',
      rdsEventId: 'RDS-EVENT-0487',
      message: expect.stringContaining('3.00 GB exported so far'),
    });
    expect(fannedOut).toEqual(['RDS-EVENT-0487']);
  });
});
