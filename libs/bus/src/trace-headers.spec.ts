import { InMemorySpanExporter } from '@opentelemetry/sdk-trace-node';
import { inSpan, shutdownTracing, SpanKind, startTracing } from '@snapex/telemetry';
import { headers as natsHeaders, MsgHdrs } from 'nats';
import { traceContextOf, traceHeaders } from './trace-headers';

describe('trace context in NATS headers', () => {
  afterEach(() => shutdownTracing());

  it('carries nothing while tracing is off', async () => {
    const headers = await inSpan('publish Something', { kind: SpanKind.PRODUCER }, async () =>
      traceHeaders(),
    );
    expect(headers.get('traceparent')).toBe('');
  });

  it('makes the consumer of a message a child of the span that published it', async () => {
    const exporter = new InMemorySpanExporter();
    startTracing('trace-test', { enabled: true, sampleRatio: 1 }, exporter);
    const sent: MsgHdrs = await inSpan('publish TaskStarted', { kind: SpanKind.PRODUCER }, async () =>
      traceHeaders(undefined, natsHeaders()),
    );
    expect(sent.get('traceparent')).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
    // What the consumer does inside its span is traced too: the messages it sends in turn.
    const onward = await inSpan(
      'consume TaskStarted',
      { kind: SpanKind.CONSUMER, parent: traceContextOf({ headers: sent }) },
      async () => traceHeaders(),
    );

    const [published, consumed] = exporter.getFinishedSpans();
    expect(consumed.spanContext().traceId).toBe(published.spanContext().traceId);
    expect(consumed.parentSpanContext?.spanId).toBe(published.spanContext().spanId);
    expect(onward.get('traceparent')).toBe(
      `00-${consumed.spanContext().traceId}-${consumed.spanContext().spanId}-01`,
    );
    expect(published.resource.attributes['service.name']).toBe('trace-test');
  });

  it('starts a trace of its own for a message that carries none', async () => {
    const exporter = new InMemorySpanExporter();
    startTracing('trace-test', { enabled: true, sampleRatio: 1 }, exporter);
    await inSpan('consume Untraced', { kind: SpanKind.CONSUMER, parent: traceContextOf({}) }, async () => {});
    const [span] = exporter.getFinishedSpans();
    expect(span.parentSpanContext).toBeUndefined();
  });

  it('records a failed handler as an error span and rethrows', async () => {
    const exporter = new InMemorySpanExporter();
    startTracing('trace-test', { enabled: true, sampleRatio: 1 }, exporter);
    await expect(
      inSpan('consume Broken', { kind: SpanKind.CONSUMER }, async () => {
        throw new Error('handler failed');
      }),
    ).rejects.toThrow('handler failed');
    const [span] = exporter.getFinishedSpans();
    expect(span.status).toEqual({ code: 2, message: 'handler failed' });
  });
});
