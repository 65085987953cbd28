import { runService } from '@snapex/service';
import { TableExtractorModule } from './table-extractor.module';

void runService({
  name: 'table-extractor',
  module: (config, logger) => TableExtractorModule.register(config, logger),
});
