import { runService } from '@snapex/service';
import { MetadataWriterModule } from './metadata-writer.module';

void runService({ name: 'metadata-writer', module: MetadataWriterModule.register });
