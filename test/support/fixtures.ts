import { parseConfig, SnapexConfig } from '@snapex/config';
import { ColumnPlan } from '@snapex/contracts';
import { serviceCredentialsOf } from '../../scripts/local-stack/export-target';
import { MOTO_ACCOUNT, MOTO_REGION, MotoServer } from '../../scripts/local-stack/moto';

/** A bigint primary key, as the planner maps it. */
export const BIGINT_ID_COLUMN: ColumnPlan = {
  name: 'id',
  originalType: 'bigint',
  decoder: 'int8',
  parquetType: 'INT64',
  expectedExportedType: 'int64',
  originalCharMaxLength: 0,
  originalNumPrecision: 64,
  originalDateTimePrecision: 0,
};

/** A configuration whose AWS calls go to moto, as the given identity. */
export function motoConfig(
  moto: MotoServer,
  identity: { accessKeyId: string; secretAccessKey: string },
): SnapexConfig {
  return parseConfig({
    region: MOTO_REGION,
    accounts: [{ id: MOTO_ACCOUNT }],
    aws: {
      endpoint: moto.endpoint,
      forcePathStyle: true,
      serviceCredentials: serviceCredentialsOf(identity),
    },
  });
}
