import { runService } from '@snapex/service';
import { NotifierModule } from './notifier.module';

void runService({ name: 'notifier', module: NotifierModule.register });
