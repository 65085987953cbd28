import { NotFoundException, PayloadTooLargeException } from '@nestjs/common';
import { Fault } from '@snapex/contracts';
import { apiErrorOf, errorResponse } from './error-response';
import { parseJsonObject } from './json-body';

describe('error responses', () => {
  it('render a fault as RDS’s ErrorResponse', () => {
    const error = apiErrorOf(
      new Fault('ExportTaskNotFound', "The export task with the ID x can't be found."),
      {},
    );
    expect(errorResponse(error, 'request-1')).toEqual({
      Error: {
        Type: 'Sender',
        Code: 'ExportTaskNotFound',
        Message: "The export task with the ID x can't be found.",
      },
      RequestId: 'request-1',
    });
    expect(error.status).toBe(404);
  });

  it('blame the receiver for 5xx faults', () => {
    const error = apiErrorOf(new Fault('ServiceUnavailable', 'Try again later.'), {});
    expect(errorResponse(error, 'r').Error.Type).toBe('Receiver');
    expect(error.status).toBe(503);
  });

  it('turn an unknown route into a 404 that names it', () => {
    expect(apiErrorOf(new NotFoundException(), { method: 'POST', path: '/v1/Nope' })).toMatchObject({
      status: 404,
      code: 'InvalidAction',
      message: 'There is no action or resource at POST /v1/Nope.',
    });
  });

  it('keep other client errors as client errors', () => {
    expect(apiErrorOf(new PayloadTooLargeException(), {}).status).toBe(413);
  });

  it('hide the details of unexpected errors', () => {
    const error = apiErrorOf(new Error('connection to 10.0.0.5 refused'), {});
    expect(error).toMatchObject({ status: 500, code: 'InternalFailure', unexpected: true });
    expect(error.message).not.toContain('10.0.0.5');
  });
});

describe('JSON bodies', () => {
  it('read an object, and an empty body as no parameters', () => {
    expect(parseJsonObject('{"MaxRecords":20}')).toEqual({ MaxRecords: 20 });
    expect(parseJsonObject('  ')).toEqual({});
  });

  it('refuse malformed JSON and non-objects as caller mistakes', () => {
    for (const text of ['{', 'null', '[]', '"text"', '42']) {
      expect(() => parseJsonObject(text)).toThrow(expect.objectContaining({ code: 'InvalidParameterValue' }));
    }
  });
});
