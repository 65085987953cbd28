import { Controller, HttpCode, Inject, Post, Req } from '@nestjs/common';
import { accountOf, rawBodyOf } from '../http/authentication.middleware';
import { parseJsonObject } from '../http/json-body';
import { GatewayRequest } from '../http/request-context';
import { Action } from './action';
import { EVENT_ACTIONS } from './event-actions';
import { RegistryClient } from './registry.client';

/** Event subscriptions and events as JSON over HTTP: one POST per action, RDS's names. */
@Controller('v1')
export class EventsController {
  constructor(@Inject(RegistryClient) private readonly registry: RegistryClient) {}

  @Post('CreateEventSubscription')
  @HttpCode(200)
  @Action('CreateEventSubscription')
  createEventSubscription(@Req() request: GatewayRequest) {
    return this.run('CreateEventSubscription', request);
  }

  @Post('ModifyEventSubscription')
  @HttpCode(200)
  @Action('ModifyEventSubscription')
  modifyEventSubscription(@Req() request: GatewayRequest) {
    return this.run('ModifyEventSubscription', request);
  }

  @Post('DeleteEventSubscription')
  @HttpCode(200)
  @Action('DeleteEventSubscription')
  deleteEventSubscription(@Req() request: GatewayRequest) {
    return this.run('DeleteEventSubscription', request);
  }

  @Post('DescribeEventSubscriptions')
  @HttpCode(200)
  @Action('DescribeEventSubscriptions')
  describeEventSubscriptions(@Req() request: GatewayRequest) {
    return this.run('DescribeEventSubscriptions', request);
  }

  @Post('DescribeEvents')
  @HttpCode(200)
  @Action('DescribeEvents')
  describeEvents(@Req() request: GatewayRequest) {
    return this.run('DescribeEvents', request);
  }

  @Post('DescribeEventDeliveries')
  @HttpCode(200)
  @Action('DescribeEventDeliveries')
  describeEventDeliveries(@Req() request: GatewayRequest) {
    return this.run('DescribeEventDeliveries', request);
  }

  private run(action: string, request: GatewayRequest): Promise<Record<string, unknown>> {
    const body = parseJsonObject(rawBodyOf(request).toString('utf8'));
    return EVENT_ACTIONS[action].run(this.registry, accountOf(request), body);
  }
}
