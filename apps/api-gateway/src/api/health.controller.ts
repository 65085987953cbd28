import { Controller, Get, Inject } from '@nestjs/common';
import { Fault } from '@snapex/contracts';
import { HealthChecks } from '@snapex/telemetry';

/**
 * Readiness on the public port, for load balancers in front of the API; needs no API key. The
 * operations port serves the same (/healthz/ready) beside liveness and metrics.
 */
@Controller()
export class HealthController {
  constructor(@Inject(HealthChecks) private readonly checks: HealthChecks) {}

  @Get('healthz')
  async health(): Promise<{ status: 'ok' }> {
    const report = await this.checks.readiness();
    if (!report.ready) {
      const failing = Object.entries(report.checks)
        .flatMap(([name, result]) => (result.ok ? [] : [`${name}: ${result.reason}`]))
        .join('; ');
      throw new Fault('ServiceUnavailable', `The gateway is not ready (${failing}).`);
    }
    return { status: 'ok' };
  }
}
