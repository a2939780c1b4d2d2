import { Router } from 'express';
import type { TwilioCatalog } from '../../providers/twilio/twilio-catalog';

/** The account's approved WhatsApp templates, for reaching customers outside the 24-hour window. */
export function templatesRouter(catalog: TwilioCatalog): Router {
  const r = Router();
  r.get('/', async (_req, res) => {
    res.json({ templates: await catalog.listApprovedTemplates() });
  });
  return r;
}
