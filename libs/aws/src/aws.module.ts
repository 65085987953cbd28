import { Provider } from '@nestjs/common';
import { SnapexConfig } from '@snapex/config';
import { Logger } from '@snapex/logging';
import { LOGGER } from '@snapex/service';
import { AwsClients } from './aws-clients';

export function awsClientsProvider(config: SnapexConfig): Provider {
  return {
    provide: AwsClients,
    useFactory: (logger: Logger) => new AwsClients(config, logger),
    inject: [LOGGER],
  };
}
