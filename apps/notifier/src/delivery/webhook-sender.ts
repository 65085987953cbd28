import { Inject, Injectable, Optional } from '@nestjs/common';
import { LookupAddress, promises as dns } from 'node:dns';
import { request as httpRequest, IncomingMessage, OutgoingHttpHeaders } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { LookupFunction } from 'node:net';
import { SnapexConfig, WebhookDestinations } from '@snapex/config';
import { RdsEvent, webhookCloudEventOf } from '@snapex/contracts';
import { CONFIG } from '@snapex/service';
import { DeliveryFailure } from './delivery-failure';
import { webhookSignature } from './webhook-signature';

export interface WebhookDelivery {
  deliveryId: string;
  attempt: number;
  accountId: string;
  subscriptionName: string;
  url: string;
  event: RdsEvent;
}

/** Every address a host name resolves to (of one family when `family` is 4 or 6). */
export type ResolveHost = (hostname: string, family: number) => Promise<LookupAddress[]>;
export const RESOLVE_HOST = Symbol('snapex:resolve-host');

const resolveWithSystem: ResolveHost = (hostname, family) => dns.lookup(hostname, { all: true, family });

/** The webhook's host is, or resolves to, an address the notifier does not deliver to. */
class RefusedDestination extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = 'RefusedDestination';
  }
}

/**
 * POSTs an event to a webhook as a signed CloudEvent; any answer but 2xx, or none in time, fails.
 * The address checked is the address connected to: the host's name is resolved once, by the lookup
 * the socket itself uses, so a name that re-resolves to an internal address is refused too.
 */
@Injectable()
export class WebhookSender {
  private readonly secrets: Map<string, string>;
  private readonly destinations: WebhookDestinations;

  constructor(
    @Inject(CONFIG) private readonly config: SnapexConfig,
    @Optional() @Inject(RESOLVE_HOST) private readonly resolveHost: ResolveHost = resolveWithSystem,
  ) {
    this.secrets = new Map(
      config.accounts.flatMap((account) =>
        account.webhookSecret ? [[account.id, account.webhookSecret]] : [],
      ),
    );
    this.destinations = new WebhookDestinations(config.notifier.webhookAllowedNetworks);
  }

  async send(delivery: WebhookDelivery): Promise<{ httpStatus: number }> {
    const secret = this.secrets.get(delivery.accountId);
    if (!secret) throw new DeliveryFailure(`account ${delivery.accountId} has no webhook signing key`);
    const url = new URL(delivery.url);
    const literalRefusal = this.destinations.refusalOfLiteralHost(url);
    if (literalRefusal) throw new DeliveryFailure(`the webhook was not called: ${literalRefusal}`);
    const body = JSON.stringify(webhookCloudEventOf(delivery.event, delivery.subscriptionName));
    let httpStatus: number;
    try {
      httpStatus = await this.post(url, body, {
        'content-type': 'application/cloudevents+json',
        'content-length': Buffer.byteLength(body),
        'x-snapex-signature': webhookSignature(secret, body),
        'x-snapex-delivery': delivery.deliveryId,
        'x-snapex-attempt': String(delivery.attempt),
      });
    } catch (error) {
      if (error instanceof RefusedDestination)
        throw new DeliveryFailure(`the webhook was not called: ${error.reason}`, { cause: error });
      throw new DeliveryFailure(`the webhook could not be reached: ${(error as Error).message}`, {
        cause: error,
      });
    }
    if (httpStatus < 200 || httpStatus > 299) {
      throw new DeliveryFailure(`the webhook answered HTTP ${httpStatus}`, { httpStatus });
    }
    return { httpStatus };
  }

  /** One POST, redirects not followed, the answer's body discarded; resolves to its status. */
  private post(url: URL, body: string, headers: OutgoingHttpHeaders): Promise<number> {
    const request = url.protocol === 'https:' ? httpsRequest : httpRequest;
    return new Promise((resolve, reject) => {
      const outgoing = request(
        url,
        {
          method: 'POST',
          headers,
          lookup: this.checkedLookup,
          signal: AbortSignal.timeout(this.config.notifier.requestTimeoutMs),
        },
        (response: IncomingMessage) => {
          response.resume();
          response.once('end', () => resolve(response.statusCode ?? 0));
          response.once('error', reject);
        },
      );
      outgoing.once('error', reject);
      outgoing.end(body);
    });
  }

  /** The socket's lookup: the system's, failing when any address the name resolves to is refused. */
  private readonly checkedLookup: LookupFunction = (hostname, options, callback) => {
    const answer = callback as (
      error: Error | null,
      address: string | LookupAddress[],
      family?: number,
    ) => void;
    this.resolveHost(hostname, options.family === 4 || options.family === 6 ? options.family : 0).then(
      (addresses) => {
        const refusal = addresses.map(({ address }) => this.destinations.refusalOf(address)).find(Boolean);
        if (refusal) return answer(new RefusedDestination(`${hostname}: ${refusal}`), '');
        if (options.all) return answer(null, addresses);
        answer(null, addresses[0].address, addresses[0].family);
      },
      (error: Error) => answer(error, ''),
    );
  };
}
