import { ALL_EVENTS, ALL_RPCS, DeliveryRequested, NotificationSchema } from '@snapex/contracts';
import { asyncApiDocument } from './asyncapi';

type Json = Record<string, any>;

describe('asyncApiDocument', () => {
  const document = asyncApiDocument() as Json;
  const addresses = Object.values(document.channels as Json).map((channel: Json) => channel.address);

  it('is AsyncAPI 3 with a channel for every event and request subject, and the notifications', () => {
    expect(document.asyncapi).toBe('3.0.0');
    for (const contract of ALL_EVENTS) expect(addresses).toContain(contract.subject);
    for (const contract of Object.values(ALL_RPCS)) expect(addresses).toContain(contract.subject);
    expect(addresses).toContain('snapex.notifications.{accountId}.{category}.v1');
    expect(Object.keys(ALL_RPCS)).toContain('CreateEventSubscriptionRpc');
  });

  it("takes each payload's schema from its contract", () => {
    const schemas = document.components.schemas as Json;
    expect(schemas[DeliveryRequested.name].required).toEqual(
      expect.arrayContaining(['eventId', 'subscriptionName', 'target', 'event']),
    );
    expect(schemas.Notification.properties.category.enum).toEqual(NotificationSchema.shape.category.options);
    expect(schemas.RdsEventCloudEvent.properties.specversion.const).toBe('1.0');
  });

  it('refers only to what it defines', () => {
    const refs = JSON.stringify(document).match(/"\$ref":"#\/[^"]+"/g) ?? [];
    for (const ref of refs) {
      const path = ref.slice(10, -1).split('/');
      let node: unknown = document;
      for (const part of path) node = (node as Json)[part];
      expect({ ref, found: node !== undefined }).toEqual({ ref, found: true });
    }
  });
});
