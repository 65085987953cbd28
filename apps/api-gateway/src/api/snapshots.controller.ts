import { Controller, HttpCode, Inject, Post, Req } from '@nestjs/common';
import { accountOf, rawBodyOf } from '../http/authentication.middleware';
import { parseJsonObject } from '../http/json-body';
import { GatewayRequest } from '../http/request-context';
import { Action } from './action';
import { RegistryClient } from './registry.client';
import { SNAPSHOT_ACTIONS } from './snapshot-actions';

/** The snapshot actions as JSON over HTTP: one POST per action, bodies and answers with RDS's names. */
@Controller('v1')
export class SnapshotsController {
  constructor(@Inject(RegistryClient) private readonly registry: RegistryClient) {}

  @Post('CreateDBSnapshot')
  @HttpCode(200)
  @Action('CreateDBSnapshot')
  createDBSnapshot(@Req() request: GatewayRequest) {
    return this.run('CreateDBSnapshot', request);
  }

  @Post('CreateDBClusterSnapshot')
  @HttpCode(200)
  @Action('CreateDBClusterSnapshot')
  createDBClusterSnapshot(@Req() request: GatewayRequest) {
    return this.run('CreateDBClusterSnapshot', request);
  }

  @Post('RegisterDBSnapshot')
  @HttpCode(200)
  @Action('RegisterDBSnapshot')
  registerDBSnapshot(@Req() request: GatewayRequest) {
    return this.run('RegisterDBSnapshot', request);
  }

  @Post('RegisterDBClusterSnapshot')
  @HttpCode(200)
  @Action('RegisterDBClusterSnapshot')
  registerDBClusterSnapshot(@Req() request: GatewayRequest) {
    return this.run('RegisterDBClusterSnapshot', request);
  }

  @Post('DescribeDBSnapshots')
  @HttpCode(200)
  @Action('DescribeDBSnapshots')
  describeDBSnapshots(@Req() request: GatewayRequest) {
    return this.run('DescribeDBSnapshots', request);
  }

  @Post('DescribeDBClusterSnapshots')
  @HttpCode(200)
  @Action('DescribeDBClusterSnapshots')
  describeDBClusterSnapshots(@Req() request: GatewayRequest) {
    return this.run('DescribeDBClusterSnapshots', request);
  }

  @Post('DeleteDBSnapshot')
  @HttpCode(200)
  @Action('DeleteDBSnapshot')
  deleteDBSnapshot(@Req() request: GatewayRequest) {
    return this.run('DeleteDBSnapshot', request);
  }

  @Post('DeleteDBClusterSnapshot')
  @HttpCode(200)
  @Action('DeleteDBClusterSnapshot')
  deleteDBClusterSnapshot(@Req() request: GatewayRequest) {
    return this.run('DeleteDBClusterSnapshot', request);
  }

  private run(action: string, request: GatewayRequest): Promise<Record<string, unknown>> {
    const body = parseJsonObject(rawBodyOf(request).toString('utf8'));
    return SNAPSHOT_ACTIONS[action].run(this.registry, accountOf(request), body);
  }
}
