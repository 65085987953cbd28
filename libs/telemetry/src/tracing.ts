import {
  Attributes,
  Context,
  context,
  propagation,
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  trace,
} from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  BatchSpanProcessor,
  NodeTracerProvider,
  ParentBasedSampler,
  SimpleSpanProcessor,
  SpanExporter,
  SpanProcessor,
  TraceIdRatioBasedSampler,
} from '@opentelemetry/sdk-trace-node';

export { SpanKind } from '@opentelemetry/api';

export interface TracingSettings {
  enabled: boolean;
  /** OTLP/HTTP traces endpoint (`http://collector:4318/v1/traces`); spans stay in the process when absent. */
  otlpEndpoint?: string;
  /** Share of new traces recorded; a message's trace is recorded when its sender's was. */
  sampleRatio: number;
}

/** W3C trace context as it travels with a message: `traceparent` and, when set, `tracestate`. */
export type TraceCarrier = Record<string, string>;

let provider: NodeTracerProvider | null = null;

/**
 * Records spans for this process when tracing is enabled; otherwise the OpenTelemetry API stays a
 * no-op and carries nothing. `exporter` replaces the OTLP exporter (tests record spans in memory).
 */
export function startTracing(service: string, settings: TracingSettings, exporter?: SpanExporter): void {
  if (!settings.enabled || provider) return;
  const processors: SpanProcessor[] = [];
  if (exporter) processors.push(new SimpleSpanProcessor(exporter));
  else if (settings.otlpEndpoint) {
    processors.push(new BatchSpanProcessor(new OTLPTraceExporter({ url: settings.otlpEndpoint })));
  }
  provider = new NodeTracerProvider({
    resource: resourceFromAttributes({ 'service.name': service, 'service.namespace': 'snapex' }),
    sampler: new ParentBasedSampler({ root: new TraceIdRatioBasedSampler(settings.sampleRatio) }),
    spanProcessors: processors,
  });
  // Also installs the W3C trace-context propagator and the AsyncLocalStorage context manager.
  provider.register();
}

/** Sends the spans still buffered; at shutdown. */
export async function shutdownTracing(): Promise<void> {
  const stopping = provider;
  provider = null;
  if (!stopping) return;
  await stopping.shutdown();
  trace.disable();
  propagation.disable();
  context.disable();
}

const tracer = () => trace.getTracer('snapex');

/** The active trace context, to send along with a message or keep with an outbox entry. */
export function currentTraceCarrier(): TraceCarrier {
  const carrier: TraceCarrier = {};
  propagation.inject(context.active(), carrier);
  return carrier;
}

/** The context a message's carrier names; the active one when it names none. */
export function contextOf(carrier: TraceCarrier | undefined): Context {
  if (!carrier || Object.keys(carrier).length === 0) return context.active();
  return propagation.extract(ROOT_CONTEXT, carrier);
}

export interface SpanOptions {
  kind: SpanKind;
  attributes?: Attributes;
  /** The span's parent: the context a received message carried; the active context when absent. */
  parent?: Context;
}

/**
 * Runs `work` inside a new span, active for everything `work` starts (so the messages it publishes
 * carry it), and ends the span with the outcome.
 */
export async function inSpan<T>(name: string, options: SpanOptions, work: () => Promise<T>): Promise<T> {
  const parent = options.parent ?? context.active();
  const span = tracer().startSpan(name, { kind: options.kind, attributes: options.attributes }, parent);
  try {
    return await context.with(trace.setSpan(parent, span), work);
  } catch (error) {
    span.recordException(error as Error);
    span.setStatus({ code: SpanStatusCode.ERROR, message: (error as Error).message });
    throw error;
  } finally {
    span.end();
  }
}
