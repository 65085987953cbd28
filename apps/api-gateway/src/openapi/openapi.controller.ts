import { Controller, Get } from '@nestjs/common';
import { asyncApiDocument } from './asyncapi';
import document from './openapi.json';

/** The JSON API's and the messages' descriptions, readable without credentials. */
@Controller()
export class OpenApiController {
  @Get('openapi.json')
  openApi(): typeof document {
    return document;
  }

  /** Every NATS subject and notification, from the contracts; built once. */
  @Get('asyncapi.json')
  asyncApi(): Record<string, unknown> {
    this.asyncApiCache ??= asyncApiDocument();
    return this.asyncApiCache;
  }

  private asyncApiCache: Record<string, unknown> | undefined;
}
