import { Inject, Injectable } from '@nestjs/common';
import { SnapexConfig } from '@snapex/config';
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

/** POSTs an event to a webhook as a signed CloudEvent; any answer but 2xx, or none in time, fails. */
@Injectable()
export class WebhookSender {
  private readonly secrets: Map<string, string>;

  constructor(@Inject(CONFIG) private readonly config: SnapexConfig) {
    this.secrets = new Map(
      config.accounts.flatMap((account) =>
        account.webhookSecret ? [[account.id, account.webhookSecret]] : [],
      ),
    );
  }

  async send(delivery: WebhookDelivery): Promise<{ httpStatus: number }> {
    const secret = this.secrets.get(delivery.accountId);
    if (!secret) throw new DeliveryFailure(`account ${delivery.accountId} has no webhook signing key`);
    const body = JSON.stringify(webhookCloudEventOf(delivery.event, delivery.subscriptionName));
    let response: Response;
    try {
      response = await fetch(delivery.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/cloudevents+json',
          'x-snapex-signature': webhookSignature(secret, body),
          'x-snapex-delivery': delivery.deliveryId,
          'x-snapex-attempt': String(delivery.attempt),
        },
        body,
        redirect: 'manual',
        signal: AbortSignal.timeout(this.config.notifier.requestTimeoutMs),
      });
      await response.body?.cancel();
    } catch (error) {
      throw new DeliveryFailure(`the webhook could not be reached: ${(error as Error).message}`, {
        cause: error,
      });
    }
    if (response.status < 200 || response.status > 299) {
      throw new DeliveryFailure(`the webhook answered HTTP ${response.status}`, {
        httpStatus: response.status,
      });
    }
    return { httpStatus: response.status };
  }
}
