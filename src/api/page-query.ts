import { z } from 'zod';
import { parseCursor } from '../domain/page-cursor';
import { PAGE_LIMIT } from '../domain/policies';

/** The `nextCursor` a previous page answered, passed back as it was. */
export const pageCursor = z
  .string()
  .transform((text, ctx) => {
    const cursor = parseCursor(text);
    if (!cursor)
      ctx.addIssue({ code: 'custom', message: 'must be the nextCursor of a previous page, as it was given' });
    return cursor ?? z.NEVER;
  })
  .meta({ description: 'The `nextCursor` of the page before, passed back as it came' });

/** What every list takes: `?limit=&cursor=`. */
export const pageQuery = z.object({
  limit: z.coerce.number().int().min(1).max(PAGE_LIMIT.max).default(PAGE_LIMIT.default),
  cursor: pageCursor.optional(),
});
