import type { TelemetryOptions } from '@temporalio/worker';

/**
 * The Temporal SDK's own metrics (task slots, poll and schedule-to-start latencies, workflow and activity
 * outcomes, sticky cache), served by its Core on `port` at /metrics in Prometheus's text format, named as
 * Prometheus expects: `temporal_` prefixed, counters ending in `_total`, durations in seconds with the unit
 * in the name. Passed to `Runtime.install`, which a process may call once and before its first connection.
 */
export function temporalMetricsTelemetry(port: number | undefined): TelemetryOptions | undefined {
  if (port === undefined) return undefined;
  const prometheus = {
    bindAddress: `0.0.0.0:${port}`,
    countersTotalSuffix: true,
    unitSuffix: true,
    useSecondsForDurations: true,
  };
  return { metrics: { prometheus } };
}
