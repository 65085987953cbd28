import { createServer, IncomingMessage, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { parseConfig } from '@snapex/config';
import { RdsEvent } from '@snapex/contracts';
import { DeliveryFailure } from './delivery-failure';
import { ResolveHost, WebhookDelivery, WebhookSender } from './webhook-sender';

const ACCOUNT = '123456789012';

function senderAllowing(networks: string[], resolveHost?: ResolveHost): WebhookSender {
  return new WebhookSender(
    parseConfig({
      region: 'us-east-1',
      accounts: [{ id: ACCOUNT, webhookSecret: 'a-signing-key-of-some-length' }],
      notifier: { webhookAllowedNetworks: networks, requestTimeoutMs: 2000 },
    }),
    resolveHost,
  );
}

/** A public-looking name that resolves to this host, as a name an attacker controls can (no DNS here). */
const REBOUND_NAME = 'hooks.example.net';
const rebinding: ResolveHost = async (hostname) => {
  if (hostname !== REBOUND_NAME) throw new Error(`unexpected lookup of ${hostname}`);
  return [{ address: '127.0.0.1', family: 4 }];
};

const event: RdsEvent = {
  eventId: 'event-1',
  accountId: ACCOUNT,
  rdsEventId: 'RDS-EVENT-0161',
  sourceIdentifier: 'nightly',
  sourceType: 'db-cluster-snapshot',
  sourceArn: `arn:aws:rds:us-east-1:${ACCOUNT}:cluster-snapshot:nightly`,
  message: 'The export task completed.',
  eventCategories: ['notification'],
  date: new Date().toISOString(),
  exportTaskIdentifier: 'nightly',
  taskId: '6f1c1f8e-3d2a-4c55-9b0e-2a6f1d0c9e11',
};

function deliveryTo(url: string): WebhookDelivery {
  return { deliveryId: 'delivery-1', attempt: 1, accountId: ACCOUNT, subscriptionName: 'hook', url, event };
}

describe('WebhookSender', () => {
  let server: Server;
  let port: number;
  const received: IncomingMessage[] = [];

  beforeAll(async () => {
    server = createServer((request, response) => {
      received.push(request);
      request.resume();
      request.once('end', () => response.writeHead(request.url === '/fail' ? 500 : 204).end());
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });

  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  beforeEach(() => {
    received.length = 0;
  });

  it('does not call a webhook on this host unless the operator allows it', async () => {
    const sender = senderAllowing([]);
    for (const host of ['127.0.0.1', 'localhost']) {
      const sent = sender.send(deliveryTo(`http://${host}:${port}/ok`));
      await expect(sent).rejects.toThrow(DeliveryFailure);
      await expect(sent).rejects.toThrow(/was not called: .*loopback, private, link-local or reserved/);
    }
    expect(received).toHaveLength(0);
  });

  it('refuses a name that resolves to a refused address, at the moment it connects', async () => {
    const sent = senderAllowing([], rebinding).send(deliveryTo(`http://${REBOUND_NAME}:${port}/ok`));
    await expect(sent).rejects.toThrow(`was not called: ${REBOUND_NAME}: 127.0.0.1 is a loopback`);
    expect(received).toHaveLength(0);
    // The same name, once its address is allowed, is connected to at the address it resolved to.
    const allowed = senderAllowing(['127.0.0.1/32'], rebinding);
    await expect(allowed.send(deliveryTo(`http://${REBOUND_NAME}:${port}/ok`))).resolves.toEqual({
      httpStatus: 204,
    });
    expect(received[0].headers.host).toBe(`${REBOUND_NAME}:${port}`);
  });

  it('posts a signed CloudEvent to an allowed address and reports its answer', async () => {
    const sender = senderAllowing(['127.0.0.1/32']);
    await expect(sender.send(deliveryTo(`http://127.0.0.1:${port}/ok`))).resolves.toEqual({
      httpStatus: 204,
    });
    expect(received).toHaveLength(1);
    expect(received[0].headers['content-type']).toBe('application/cloudevents+json');
    expect(received[0].headers['x-snapex-signature']).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
    await expect(sender.send(deliveryTo(`http://127.0.0.1:${port}/fail`))).rejects.toThrow(
      'the webhook answered HTTP 500',
    );
  });
});
