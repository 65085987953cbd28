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
import type * as OtlpHttp from '@opentelemetry/exporter-trace-otlp-http';
import type * as Resources from '@opentelemetry/resources';
import type * as TraceSdk from '@opentelemetry/sdk-trace-node';
import type { NodeTracerProvider, SpanExporter, SpanProcessor } from '@opentelemetry/sdk-trace-node';

/*
 * The SDK and the exporter are loaded only when tracing is enabled: together they cost ~15-20 MiB of
 * resident memory in every service, the table extractor's within extractor.memoryLimitBytes.
 */
/* eslint-disable @typescript-eslint/no-require-imports */
const traceSdk = () => require('@opentelemetry/sdk-trace-node') as typeof TraceSdk;
const otlpHttp = () => require('@opentelemetry/exporter-trace-otlp-http') as typeof OtlpHttp;
const resources = () => require('@opentelemetry/resources') as typeof Resources;
/* eslint-enable @typescript-eslint/no-require-imports */

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
  const {
    BatchSpanProcessor,
    NodeTracerProvider,
    ParentBasedSampler,
    SimpleSpanProcessor,
    TraceIdRatioBasedSampler,
  } = traceSdk();
  const { OTLPTraceExporter } = otlpHttp();
  const { resourceFromAttributes } = resources();
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
