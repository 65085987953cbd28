import { runService } from '@snapex/service';
import { TASK_REGISTRY, taskRegistryModule } from './task-registry.module';

void runService({ name: TASK_REGISTRY, module: (config, logger) => taskRegistryModule(config, logger) });
