import { Controller, HttpCode, Inject, Post, Req } from '@nestjs/common';
import { SnapexConfig } from '@snapex/config';
import { Fault, InputText } from '@snapex/contracts';
import { CONFIG } from '@snapex/service';
import { z } from 'zod';
import { accountOf, rawBodyOf } from '../http/authentication.middleware';
import { parseJsonObject } from '../http/json-body';
import { GatewayRequest } from '../http/request-context';
import { Action } from './action';
import { parseInput } from './parse-input';

const DescribeDBClustersBody = z.object({ DBClusterIdentifier: InputText.optional() }).strict();

/**
 * DescribeDBClusters over JSON: the sources registered for the caller's account, the clusters a
 * StartExportTask may name. They come from the configuration, so the gateway answers alone.
 */
@Controller('v1')
export class ClustersController {
  constructor(@Inject(CONFIG) private readonly config: SnapexConfig) {}

  @Post('DescribeDBClusters')
  @HttpCode(200)
  @Action('DescribeDBClusters')
  describeDBClusters(@Req() request: GatewayRequest) {
    const input = parseInput(DescribeDBClustersBody, parseJsonObject(rawBodyOf(request).toString('utf8')));
    const accountId = accountOf(request);
    const clusters = this.config.sources.filter(
      (source) =>
        source.accountId === accountId &&
        (input.DBClusterIdentifier === undefined || source.name === input.DBClusterIdentifier),
    );
    if (input.DBClusterIdentifier !== undefined && clusters.length === 0) {
      throw new Fault('DBClusterNotFoundFault', `DBCluster ${input.DBClusterIdentifier} not found.`);
    }
    return {
      DBClusters: clusters.map((source) => ({
        DBClusterIdentifier: source.name,
        DBClusterArn: `arn:aws:rds:${this.config.region}:${accountId}:cluster:${source.name}`,
        Engine: source.engine,
        Status: 'available',
      })),
    };
  }
}
