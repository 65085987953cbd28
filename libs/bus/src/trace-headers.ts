import { Context } from '@opentelemetry/api';
import { contextOf, currentTraceCarrier, TraceCarrier } from '@snapex/telemetry';
import { headers as natsHeaders, MsgHdrs } from 'nats';

const TRACE_HEADERS = ['traceparent', 'tracestate'] as const;

/** NATS headers carrying W3C trace context: the active context's, or the one `carrier` names. */
export function traceHeaders(
  carrier: TraceCarrier = currentTraceCarrier(),
  headers = natsHeaders(),
): MsgHdrs {
  for (const [key, value] of Object.entries(carrier)) headers.set(key, value);
  return headers;
}

/** The trace context a received message carries in its headers (the active one when none). */
export function traceContextOf(message: { headers?: MsgHdrs }): Context {
  const carrier: TraceCarrier = {};
  for (const key of TRACE_HEADERS) {
    const value = message.headers?.get(key);
    if (value) carrier[key] = value;
  }
  return contextOf(carrier);
}

/** Span attributes of one message, with its task when the payload names one. */
export function messageAttributes(subject: string, payload?: unknown): Record<string, string> {
  const attributes: Record<string, string> = {
    'messaging.system': 'nats',
    'messaging.destination.name': subject,
  };
  const taskId = (payload as { taskId?: unknown } | undefined)?.taskId;
  if (typeof taskId === 'string') attributes['snapex.task_id'] = taskId;
  return attributes;
}
