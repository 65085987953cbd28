-- Up Migration
-- W3C trace context (traceparent, tracestate) of the work that wrote the entry, so the event it
-- becomes continues that trace; null when tracing is off.
ALTER TABLE outbox ADD COLUMN trace_context jsonb;

-- Down Migration
ALTER TABLE outbox DROP COLUMN trace_context;
