import { z } from 'zod';

/**
 * Pieces of the answers' schemas. Answers are described strictly (no field left out), so a field a view
 * adds without its description fails the integration tests, which check every answer against the document.
 */
export const answer = z.strictObject;

/** A time as JSON carries it: ISO 8601 in UTC. */
export const timestamp = z.iso.datetime();
export const id = z.uuid();

/** Beside every list's rows: pass it back as `cursor`; `null` on the last page. */
export const nextCursor = z.string().nullable().meta({ description: 'The next page: pass it back as `cursor`' });

/** A bearer secret, shown in this answer only: only its digest is kept. */
export const shownOnce = (prefix: string) =>
  z.string().startsWith(prefix).meta({ description: 'Shown this once; only its digest is kept' });
