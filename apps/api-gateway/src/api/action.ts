import {
  CallHandler,
  ExecutionContext,
  Inject,
  Injectable,
  NestInterceptor,
  SetMetadata,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { Observable } from 'rxjs';
import { GatewayRequest } from '../http/request-context';

const ACTION = 'snapex:gateway-action';

/** Names the RDS action a route carries out, for the request log. */
export const Action = (name: string) => SetMetadata(ACTION, name);

@Injectable()
export class ActionInterceptor implements NestInterceptor {
  constructor(@Inject(Reflector) private readonly reflector: Reflector) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const action = this.reflector.get<string | undefined>(ACTION, context.getHandler());
    const request = context.switchToHttp().getRequest<GatewayRequest>();
    if (action && request.context) request.context.action = action;
    return next.handle();
  }
}
