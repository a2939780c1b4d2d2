/**
 * Where a page of a list ends: its last row's time, to the microsecond PostgreSQL keeps (ISO 8601), and the
 * row's id, which orders rows sharing that time, so a walk neither repeats nor skips them. Clients pass it
 * back as they got it: `<time>_<id>`, e.g. `2026-11-02T09:15:01.123456Z_0b4e…`.
 */
export interface PageCursor {
  at: string;
  id: string;
}

const CURSOR =
  /^([1-9]\d{3}-\d{2}-\d{2})T(\d{2}:\d{2}:\d{2})(\.\d{1,6})?Z_([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/i;

export const formatCursor = ({ at, id }: PageCursor): string => `${at}_${id}`;

/** The cursor a text names, or undefined: also for a time that is no real instant (PostgreSQL would refuse it). */
export function parseCursor(text: string): PageCursor | undefined {
  const [, date, time, fraction = '', id] = CURSOR.exec(text) ?? [];
  if (!date || !time || !id) return undefined;
  const at = `${date}T${time}${fraction}Z`;
  // A date that rolls over (Feb 30, 24:00) comes back from Date as another day or time.
  const instant = new Date(`${date}T${time}Z`);
  if (Number.isNaN(instant.getTime()) || instant.toISOString().slice(0, 19) !== `${date}T${time}`) return undefined;
  return { at, id };
}
