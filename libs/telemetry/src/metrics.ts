import {
  collectDefaultMetrics,
  Counter,
  CounterConfiguration,
  Gauge,
  GaugeConfiguration,
  Histogram,
  HistogramConfiguration,
  Metric,
  Registry,
} from 'prom-client';

/** The process's metrics, served at /metrics by the operations listener. */
export const metricsRegistry = new Registry();

let processMetricsCollected = false;

/** Node's process metrics (resident memory, heap, event loop lag, GC), once per process. */
export function collectProcessMetrics(): void {
  if (processMetricsCollected) return;
  processMetricsCollected = true;
  collectDefaultMetrics({ register: metricsRegistry });
}

/**
 * A metric is registered once per process: a module loaded twice (or a test that builds a service
 * twice) gets the one already there rather than a registration error.
 */
function registered<M extends Metric<string>>(name: string, create: () => M): M {
  return (metricsRegistry.getSingleMetric(name) as M | undefined) ?? create();
}

export function counter<L extends string>(config: CounterConfiguration<L>): Counter<L> {
  return registered(config.name, () => new Counter({ ...config, registers: [metricsRegistry] }));
}

export function gauge<L extends string>(config: GaugeConfiguration<L>): Gauge<L> {
  return registered(config.name, () => new Gauge({ ...config, registers: [metricsRegistry] }));
}

export function histogram<L extends string>(config: HistogramConfiguration<L>): Histogram<L> {
  return registered(config.name, () => new Histogram({ ...config, registers: [metricsRegistry] }));
}
