import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

// A code in the README's errors table is a promise to clients; a promise no test holds can break unseen.
const README = readFileSync(join(__dirname, '..', 'README.md'), 'utf8');
const HEADER = '| status | code | when |';

/** Every code of the `| status | code | when |` table under "## Errors", in the table's order. */
function documentedCodes(): string[] {
  const section = README.split(/^## Errors$/m)[1]?.split(/^## /m)[0] ?? '';
  const lines = section.split('\n');
  const header = lines.findIndex((line) => line.trim() === HEADER);
  if (header < 0) throw new Error(`README.md has no "${HEADER}" table under "## Errors"`);
  const rows = lines.slice(header + 2).filter((line) => line.startsWith('|'));
  return rows.flatMap((row) => {
    const [, status, code] = row.split('|').map((cell) => cell.trim());
    if (!/^\d{3}$/.test(status ?? '')) throw new Error(`An errors table row without a status: ${row}`);
    return [...(code ?? '').matchAll(/`([a-z_]+)`/g)].map((match) => match[1]!);
  });
}

/** The test sources, this file aside: it names no code itself. */
const sources = readdirSync(__dirname, { recursive: true, encoding: 'utf8' })
  .filter((file) => file.endsWith('.ts') && !file.endsWith('documented-errors.test.ts'))
  .map((file) => ({ file, text: readFileSync(join(__dirname, file), 'utf8') }));

const codes = documentedCodes();

describe('the documented error codes', () => {
  it('are read from the README', () => {
    expect(codes.length).toBeGreaterThan(40);
    expect(codes).toContain('validation_failed');
  });

  it.each(codes)('%s is asserted by a test', (code) => {
    const literal = new RegExp(`(['"\`])${code}\\1`);
    expect(sources.filter(({ text }) => literal.test(text)).map(({ file }) => file)).not.toEqual([]);
  });
});
