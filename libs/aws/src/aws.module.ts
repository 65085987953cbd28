import { Provider } from '@nestjs/common';
import { SnapexConfig } from '@snapex/config';
import { AwsClients } from './aws-clients';

export function awsClientsProvider(config: SnapexConfig): Provider {
  return { provide: AwsClients, useValue: new AwsClients(config) };
}
