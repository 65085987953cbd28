import { runService } from '@snapex/service';
import { API_GATEWAY, apiGatewayModule } from './api-gateway.module';

void runService({
  name: API_GATEWAY,
  module: (config, logger) => apiGatewayModule(config, logger),
  http: (config) => config.gateway,
});
