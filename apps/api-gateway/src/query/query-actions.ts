import { Inject, Injectable } from '@nestjs/common';
import { Fault } from '@snapex/contracts';
import { CancelExportTaskBody, DescribeExportTasksBody, StartExportTaskBody } from '../api/input-schemas';
import { parseInput } from '../api/parse-input';
import { RegistryClient } from '../api/registry.client';
import { EVENT_ACTIONS } from '../api/event-actions';
import { ServedAction } from '../api/served-action';
import { SNAPSHOT_ACTIONS } from '../api/snapshot-actions';
import { decodeQueryParameters } from './query-decoder';
import { QueryRequest, RDS_API_VERSION } from './query-request';
import {
  CancelExportTaskShape,
  DescribeExportTasksShape,
  QueryShape,
  StartExportTaskShape,
} from './query-shapes';
import { describeExportTasksXml, exportTaskXml } from './query-xml';

interface QueryAction {
  shape: QueryShape;
  /** Carries the action out for an account; answers the content of `<{Action}Result>`. */
  run(registry: RegistryClient, accountId: string, input: unknown): Promise<Record<string, unknown>>;
}

const SERVED_QUERY_ACTIONS: Record<string, QueryAction> = Object.fromEntries(
  Object.entries<ServedAction>({ ...SNAPSHOT_ACTIONS, ...EVENT_ACTIONS }).map(([name, action]) => [
    name,
    {
      shape: action.shape,
      run: async (registry, accountId, input) => action.xml(await action.run(registry, accountId, input)),
    },
  ]),
);

const ACTIONS: Record<string, QueryAction> = {
  ...SERVED_QUERY_ACTIONS,
  StartExportTask: {
    shape: StartExportTaskShape,
    run: async (registry, accountId, input) =>
      exportTaskXml(await registry.startExportTask(accountId, parseInput(StartExportTaskBody, input))),
  },
  DescribeExportTasks: {
    shape: DescribeExportTasksShape,
    run: async (registry, accountId, input) =>
      describeExportTasksXml(
        await registry.describeExportTasks(accountId, parseInput(DescribeExportTasksBody, input)),
      ),
  },
  CancelExportTask: {
    shape: CancelExportTaskShape,
    run: async (registry, accountId, input) => {
      const { ExportTaskIdentifier } = parseInput(CancelExportTaskBody, input);
      return exportTaskXml(await registry.cancelExportTask(accountId, ExportTaskIdentifier));
    },
  },
};

/** The RDS actions snapex serves over the Query protocol; any other RDS action is not one of them. */
@Injectable()
export class QueryActions {
  constructor(@Inject(RegistryClient) private readonly registry: RegistryClient) {}

  run(accountId: string, request: QueryRequest): Promise<Record<string, unknown>> {
    const action = Object.hasOwn(ACTIONS, request.action) ? ACTIONS[request.action] : undefined;
    if (!action) {
      throw new Fault(
        'InvalidAction',
        `Could not find operation ${request.action} for version ${RDS_API_VERSION}.`,
      );
    }
    return action.run(this.registry, accountId, decodeQueryParameters(action.shape, request.parameters));
  }
}
