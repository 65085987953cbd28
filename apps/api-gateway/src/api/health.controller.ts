import { Controller, Get, Inject } from '@nestjs/common';
import { NatsConnectionHolder } from '@snapex/bus';
import { Fault } from '@snapex/contracts';

/** Liveness for load balancers and orchestrators; needs no API key. */
@Controller()
export class HealthController {
  constructor(@Inject(NatsConnectionHolder) private readonly nats: NatsConnectionHolder) {}

  @Get('healthz')
  health(): { status: 'ok' } {
    if (this.nats.connection.isClosed()) {
      throw new Fault('ServiceUnavailable', 'The gateway has lost its connection to the message bus.');
    }
    return { status: 'ok' };
  }
}
