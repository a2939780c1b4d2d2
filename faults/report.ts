/** One line of the suite's table. `mustBeZero` lines fail the run unless their value is 0. */
export interface Row {
  section: string;
  name: string;
  value: number | string;
  mustBeZero?: boolean;
  /** What a non-zero value is, for finding it: ids, SIDs, bodies (the first few). */
  examples?: string[];
}

export const failures = (rows: Row[]) => rows.filter((r) => r.mustBeZero && r.value !== 0);

const line = (name: string, value: string, verdict: string) => `${name.padEnd(72)}${value.padStart(10)}  ${verdict}`;

/** The table, as the benchmarks print theirs: a header, then each section's figures; the failures end it. */
export function table(title: string, rows: Row[]): string {
  const out = [`\n${title}\n`, line('figure', 'value', 'must be 0?')];
  let section = '';
  for (const r of rows) {
    if (r.section !== section) {
      section = r.section;
      out.push(`\n${section}`);
    }
    const verdict = r.mustBeZero ? (r.value === 0 ? 'ok (0)' : 'FAIL') : '';
    out.push(line(`  ${r.name}`, String(r.value), verdict));
  }
  const failed = failures(rows);
  out.push('');
  if (!failed.length) out.push(`every must-be-zero count is 0 (${rows.filter((r) => r.mustBeZero).length} checked)`);
  for (const r of failed) {
    out.push(`FAIL ${r.section} / ${r.name}: ${r.value}`);
    for (const e of (r.examples ?? []).slice(0, 5)) out.push(`       ${e}`);
  }
  return out.join('\n');
}

/** Rows of one section, one call each: `add(name, value)` for a figure, `zero(name, items, show)` for a check. */
export function section(title: string) {
  const rows: Row[] = [];
  return {
    rows,
    add: (name: string, value: number | string) => rows.push({ section: title, name, value }),
    zero: <T>(name: string, items: T[], show: (item: T) => string = String) =>
      rows.push({ section: title, name, value: items.length, mustBeZero: true, examples: items.slice(0, 5).map(show) }),
  };
}

/** How many of `items` have each label: most first, or (`inOrder`, for phases) in the order first seen. */
export function tally<T>(items: T[], label: (item: T) => string, inOrder = false): [string, number][] {
  const counts = new Map<string, number>();
  for (const item of items) counts.set(label(item), (counts.get(label(item)) ?? 0) + 1);
  return inOrder ? [...counts] : [...counts].sort((a, b) => b[1] - a[1]);
}
