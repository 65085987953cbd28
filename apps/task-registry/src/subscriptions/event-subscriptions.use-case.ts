import { Inject, Injectable } from '@nestjs/common';
import {
  CreateEventSubscriptionInput,
  DescribeEventSubscriptionsInput,
  EventSubscriptionView,
  Fault,
  ModifyEventSubscriptionInput,
} from '@snapex/contracts';
import { RegistryDatabase } from '../database/registry-database';
import { maxRecordsOf } from '../describe/describe-criteria';
import { decodeMarker, encodeMarker } from '../describe/marker';
import { REGISTRY_SETTINGS, RegistrySettings } from '../registry-settings';
import { EventSubscriptionRepository, SubscriptionRecord } from './event-subscription.repository';
import {
  checkSubscriptionName,
  deliveryTargetOf,
  eventCategoriesOf,
  sourceTypeOf,
  subscriptionArn,
  subscriptionNotFound,
} from './subscription-rules';

/** CreateEventSubscription, ModifyEventSubscription, DeleteEventSubscription, DescribeEventSubscriptions. */
@Injectable()
export class EventSubscriptionsUseCase {
  constructor(
    @Inject(RegistryDatabase) private readonly database: RegistryDatabase,
    @Inject(EventSubscriptionRepository) private readonly subscriptions: EventSubscriptionRepository,
    @Inject(REGISTRY_SETTINGS) private readonly settings: RegistrySettings,
  ) {}

  async create(accountId: string, input: CreateEventSubscriptionInput): Promise<EventSubscriptionView> {
    const name = checkSubscriptionName(input.SubscriptionName);
    this.targetOf(accountId, input.SnsTopicArn);
    const sourceType = sourceTypeOf(input.SourceType);
    const sourceIds = [...new Set(input.SourceIds ?? [])];
    if (sourceIds.length > 0 && !sourceType) {
      throw new Fault('InvalidParameterCombination', 'SourceIds requires a SourceType.');
    }
    const fields = {
      snsTopicArn: input.SnsTopicArn,
      status: 'active' as const,
      sourceType: sourceType ?? null,
      sourceIds,
      eventCategories: eventCategoriesOf(input.EventCategories ?? [], sourceType),
      enabled: input.Enabled ?? true,
    };
    const created = await this.database.transaction(async (tx) => {
      const count = await this.subscriptions.lockAccount(tx, accountId);
      if (await this.subscriptions.find(tx, accountId, name)) return undefined;
      if (count >= this.settings.maxEventSubscriptionsPerAccount) {
        throw new Fault(
          'EventSubscriptionQuotaExceeded',
          `You have reached the quota of ${this.settings.maxEventSubscriptionsPerAccount} event subscriptions.`,
        );
      }
      return this.subscriptions.insert(tx, accountId, name, fields);
    });
    if (!created) throw new Fault('SubscriptionAlreadyExist', `Subscription ${name} already exists.`);
    return this.view(created);
  }

  async modify(accountId: string, input: ModifyEventSubscriptionInput): Promise<EventSubscriptionView> {
    const name = input.SubscriptionName;
    if (input.SnsTopicArn !== undefined) this.targetOf(accountId, input.SnsTopicArn);
    const modified = await this.database.transaction(async (tx) => {
      const current = await this.subscriptions.find(tx, accountId, name, true);
      if (!current) throw subscriptionNotFound(name);
      const sourceType =
        input.SourceType === undefined ? (current.sourceType ?? undefined) : sourceTypeOf(input.SourceType);
      const categories = input.EventCategories ?? current.eventCategories;
      return this.subscriptions.update(tx, accountId, name, {
        snsTopicArn: input.SnsTopicArn ?? current.snsTopicArn,
        // A new topic is tried afresh.
        status: input.SnsTopicArn === undefined ? current.status : 'active',
        sourceType: sourceType ?? null,
        // Source ids belong to a source type; another type leaves none (AddSourceIdentifierToSubscription adds them).
        sourceIds: sourceType === (current.sourceType ?? undefined) ? current.sourceIds : [],
        eventCategories: eventCategoriesOf(categories, sourceType),
        enabled: input.Enabled ?? current.enabled,
      });
    });
    return this.view(modified as SubscriptionRecord);
  }

  async delete(accountId: string, name: string): Promise<EventSubscriptionView> {
    const deleted = await this.database.transaction((tx) => this.subscriptions.delete(tx, accountId, name));
    if (!deleted) throw subscriptionNotFound(name);
    return this.view({ ...deleted, status: 'deleting' });
  }

  async describe(accountId: string, input: DescribeEventSubscriptionsInput) {
    if (input.Filters && input.Filters.length > 0) {
      throw new Fault('InvalidParameterValue', 'DescribeEventSubscriptions takes no filters.');
    }
    return this.database.read(async (connection) => {
      if (input.SubscriptionName !== undefined) {
        const found = await this.subscriptions.find(connection, accountId, input.SubscriptionName);
        if (!found) throw subscriptionNotFound(input.SubscriptionName);
        return { subscriptions: [this.view(found)] };
      }
      const maxRecords = maxRecordsOf(input.MaxRecords);
      const afterSeq = input.Marker === undefined ? undefined : decodeMarker(input.Marker);
      const rows = await this.subscriptions.list(connection, accountId, afterSeq, maxRecords + 1);
      const page = rows.slice(0, maxRecords);
      return {
        subscriptions: page.map((row) => this.view(row)),
        ...(rows.length > maxRecords ? { marker: encodeMarker(page[page.length - 1].seq) } : {}),
      };
    });
  }

  private targetOf(accountId: string, snsTopicArn: string) {
    return deliveryTargetOf(
      snsTopicArn,
      this.settings.region,
      this.settings.webhookAccounts.has(accountId),
      this.settings.webhookDestinations,
    );
  }

  private view(record: SubscriptionRecord): EventSubscriptionView {
    return {
      accountId: record.accountId,
      subscriptionName: record.name,
      snsTopicArn: record.snsTopicArn,
      status: record.status,
      subscriptionCreationTime: record.createdAt.toISOString(),
      ...(record.sourceType ? { sourceType: record.sourceType } : {}),
      sourceIds: record.sourceIds,
      eventCategories: record.eventCategories,
      enabled: record.enabled,
      arn: subscriptionArn(this.settings.region, record.accountId, record.name),
    };
  }
}
