import {
  DescribeFilterSchema,
  DumpObjectInputSchema,
  EngineSchema,
  InputText,
  SnapshotKind,
  SnapshotView,
} from '@snapex/contracts';
import { z } from 'zod';
import { QueryShape, SnapshotShapes } from '../query/query-shapes';
import { parseInput } from './parse-input';
import { RegistryClient } from './registry.client';
import { ServedAction, withoutAbsent } from './served-action';
import { dbClusterSnapshotOf, dbSnapshotOf } from './snapshot-views';

/** The RDS names of one kind of snapshot: parameters, result members and how a snapshot is rendered. */
interface KindNames {
  kind: SnapshotKind;
  identifier: string;
  source: string;
  member: string;
  list: string;
  render(view: SnapshotView): Record<string, unknown>;
}

const DB: KindNames = {
  kind: 'db-snapshot',
  identifier: 'DBSnapshotIdentifier',
  source: 'DBInstanceIdentifier',
  member: 'DBSnapshot',
  list: 'DBSnapshots',
  render: dbSnapshotOf,
};

const CLUSTER: KindNames = {
  kind: 'cluster-snapshot',
  identifier: 'DBClusterSnapshotIdentifier',
  source: 'DBClusterIdentifier',
  member: 'DBClusterSnapshot',
  list: 'DBClusterSnapshots',
  render: dbClusterSnapshotOf,
};

const Tags = z.array(z.object({ Key: InputText, Value: InputText.optional() }).strict());
const Filters = z.array(DescribeFilterSchema.strict());

function createAction(names: KindNames): ServedAction {
  const body = z
    .object({ [names.identifier]: InputText, [names.source]: InputText, Tags: Tags.optional() })
    .strict();
  return single(names, SnapshotShapes.create(names.identifier, names.source), (registry, accountId, raw) => {
    const input = parseInput(body, raw) as Record<string, string>;
    return registry.createSnapshot({
      accountId,
      kind: names.kind,
      snapshotIdentifier: input[names.identifier],
      sourceIdentifier: input[names.source],
    });
  });
}

function registerAction(names: KindNames): ServedAction {
  const body = z
    .object({
      [names.identifier]: InputText,
      [names.source]: InputText,
      Engine: EngineSchema.optional(),
      Dumps: z.array(DumpObjectInputSchema.strict()),
    })
    .strict();
  return single(
    names,
    SnapshotShapes.register(names.identifier, names.source),
    (registry, accountId, raw) => {
      const input = parseInput(body, raw) as Record<string, never>;
      return registry.registerSnapshot({
        accountId,
        kind: names.kind,
        snapshotIdentifier: input[names.identifier],
        sourceIdentifier: input[names.source],
        engine: input.Engine,
        dumps: input.Dumps,
      });
    },
  );
}

function deleteAction(names: KindNames): ServedAction {
  const body = z.object({ [names.identifier]: InputText }).strict();
  return single(names, SnapshotShapes.delete(names.identifier), (registry, accountId, raw) => {
    const input = parseInput(body, raw) as Record<string, string>;
    return registry.deleteSnapshot({
      accountId,
      kind: names.kind,
      snapshotIdentifier: input[names.identifier],
    });
  });
}

function describeAction(names: KindNames): ServedAction {
  const body = z
    .object({
      [names.identifier]: InputText.optional(),
      [names.source]: InputText.optional(),
      SnapshotType: InputText.optional(),
      Filters: Filters.optional(),
      Marker: InputText.optional(),
      MaxRecords: z.number().int().optional(),
      IncludeShared: z.boolean().optional(),
      IncludePublic: z.boolean().optional(),
    })
    .strict();
  return {
    shape: SnapshotShapes.describe(names.identifier, names.source),
    async run(registry, accountId, raw) {
      const input = parseInput(body, raw) as Record<string, never>;
      const result = await registry.describeSnapshots({
        accountId,
        kind: names.kind,
        input: {
          snapshotIdentifier: input[names.identifier],
          sourceIdentifier: input[names.source],
          snapshotType: input.SnapshotType,
          filters: input.Filters,
          marker: input.Marker,
          maxRecords: input.MaxRecords,
        },
      });
      return withoutAbsent({ [names.list]: result.snapshots.map(names.render), Marker: result.marker });
    },
    xml: (result) =>
      withoutAbsent({ [names.list]: { [names.member]: result[names.list] }, Marker: result.Marker }),
  };
}

/** An action whose result is one snapshot. */
function single(
  names: KindNames,
  shape: QueryShape,
  call: (registry: RegistryClient, accountId: string, body: unknown) => Promise<SnapshotView>,
): ServedAction {
  return {
    shape,
    run: async (registry, accountId, body) => ({
      [names.member]: names.render(await call(registry, accountId, body)),
    }),
    xml: (result) => result,
  };
}

/** The RDS snapshot actions, and snapex's own Register actions, by name. */
export const SNAPSHOT_ACTIONS: Record<string, ServedAction> = {
  CreateDBSnapshot: createAction(DB),
  CreateDBClusterSnapshot: createAction(CLUSTER),
  RegisterDBSnapshot: registerAction(DB),
  RegisterDBClusterSnapshot: registerAction(CLUSTER),
  DescribeDBSnapshots: describeAction(DB),
  DescribeDBClusterSnapshots: describeAction(CLUSTER),
  DeleteDBSnapshot: deleteAction(DB),
  DeleteDBClusterSnapshot: deleteAction(CLUSTER),
};
