import { runService } from '@snapex/service';
import { RestorerModule } from './restorer.module';

void runService({ name: 'restorer', module: RestorerModule.register });
