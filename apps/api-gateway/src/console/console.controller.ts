import { Controller, Get, Inject, NotFoundException, Param, Res } from '@nestjs/common';
import { ServerResponse } from 'node:http';
import { ConsoleBundle } from './console-bundle';

/**
 * The web console's files, readable without credentials: the page signs in in the browser and
 * calls the JSON API like any other client, so it holds nothing an anonymous reader could use.
 */
@Controller('console')
export class ConsoleController {
  constructor(@Inject(ConsoleBundle) private readonly bundle: ConsoleBundle) {}

  @Get()
  page(@Res() response: ServerResponse): void {
    this.send(response, '');
  }

  @Get('*path')
  asset(@Param('path') path: string | string[], @Res() response: ServerResponse): void {
    this.send(response, [path].flat().join('/'));
  }

  private send(response: ServerResponse, path: string): void {
    const file = this.bundle.file(path);
    if (!file) throw new NotFoundException();
    response.statusCode = 200;
    response.setHeader('content-type', file.contentType);
    response.setHeader('x-content-type-options', 'nosniff');
    response.setHeader('cache-control', file.immutable ? 'public, max-age=31536000, immutable' : 'no-cache');
    response.setHeader(
      'content-security-policy',
      "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
    );
    response.end(file.body);
  }
}
