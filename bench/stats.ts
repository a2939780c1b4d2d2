export function percentile(sortedMs: number[], p: number): number {
  if (sortedMs.length === 0) return NaN;
  const idx = Math.min(sortedMs.length - 1, Math.ceil((p / 100) * sortedMs.length) - 1);
  return sortedMs[Math.max(0, idx)]!;
}

export interface RunStats {
  count: number;
  seconds: number;
  perSecond: number;
  p50: number;
  p99: number;
  errors: number;
}

/** Runs `total` operations with at most `concurrency` in flight, timing each. */
export async function measure(
  total: number,
  concurrency: number,
  op: (i: number) => Promise<boolean>,
): Promise<RunStats> {
  const latencies: number[] = [];
  let next = 0;
  let errors = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: Math.min(concurrency, total) }, async () => {
      while (next < total) {
        const i = next++;
        const t = performance.now();
        const ok = await op(i).catch(() => false);
        latencies.push(performance.now() - t);
        if (!ok) errors++;
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return {
    count: total,
    seconds,
    perSecond: total / seconds,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    errors,
  };
}

export function row(name: string, s: RunStats): string {
  const f = (n: number, d = 1) => n.toFixed(d).padStart(9);
  return `${name.padEnd(38)}${String(s.count).padStart(7)}${f(s.perSecond)} /s${f(s.p50)} ms${f(s.p99)} ms${String(s.errors).padStart(8)}`;
}

export const HEADER = `${'scenario'.padEnd(38)}${'n'.padStart(7)}${'throughput'.padStart(12)}${'p50'.padStart(12)}${'p99'.padStart(12)}${'errors'.padStart(8)}`;
