import { runService } from '@snapex/service';
import { CredentialValidatorModule } from './credential-validator.module';

void runService({ name: 'credential-validator', module: CredentialValidatorModule.register });
