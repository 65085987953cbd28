import { Controller, Get } from '@nestjs/common';
import document from './openapi.json';

/** The JSON API's description, readable without credentials. */
@Controller()
export class OpenApiController {
  @Get('openapi.json')
  openApi(): typeof document {
    return document;
  }
}
