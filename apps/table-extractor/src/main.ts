import { keepYoungGenerationSmall } from '@snapex/parquet';
import { runService } from '@snapex/service';
import { TableExtractorModule } from './table-extractor.module';

// Before the service allocates anything: see keepYoungGenerationSmall.
keepYoungGenerationSmall();

void runService({
  name: 'table-extractor',
  module: (config, logger) => TableExtractorModule.register(config, logger),
});
