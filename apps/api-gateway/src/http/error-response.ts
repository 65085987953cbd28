import { HttpException } from '@nestjs/common';
import { Fault } from '@snapex/contracts';

/**
 * Every error the gateway returns has RDS's ErrorResponse shape, rendered as JSON:
 *
 *   HTTP <status from the fault>
 *   {"Error":{"Type":"Sender"|"Receiver","Code":"<code>","Message":"<message>"},"RequestId":"<uuid>"}
 *
 * Type is Sender when the caller must change the request (4xx) and Receiver when the service failed (5xx).
 * Bodies never carry stack traces or internal details.
 */
export interface ErrorResponse {
  Error: { Type: 'Sender' | 'Receiver'; Code: string; Message: string };
  RequestId: string;
}

export interface ApiError {
  status: number;
  code: string;
  message: string;
  /** The error was not the caller's doing and deserves a look in the logs. */
  unexpected: boolean;
}

export function errorResponse(error: ApiError, requestId: string): ErrorResponse {
  return {
    Error: { Type: error.status < 500 ? 'Sender' : 'Receiver', Code: error.code, Message: error.message },
    RequestId: requestId,
  };
}

export function apiErrorOf(exception: unknown, route: { method?: string; path?: string }): ApiError {
  if (exception instanceof Fault) {
    return {
      status: exception.httpStatus,
      code: exception.code,
      message: exception.message,
      unexpected: false,
    };
  }
  if (exception instanceof HttpException && exception.getStatus() === 404) {
    return {
      status: 404,
      code: 'InvalidAction',
      message: `There is no action or resource at ${route.method ?? ''} ${route.path ?? ''}.`.replace(
        ' .',
        '.',
      ),
      unexpected: false,
    };
  }
  if (exception instanceof HttpException && exception.getStatus() < 500) {
    return {
      status: exception.getStatus(),
      code: 'InvalidParameterValue',
      message: exception.message,
      unexpected: false,
    };
  }
  return {
    status: 500,
    code: 'InternalFailure',
    message: 'The request failed because of an unknown error. Try again later.',
    unexpected: true,
  };
}
