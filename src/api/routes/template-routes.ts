import { Router } from 'express';
import type { TwilioClient } from '../../providers/twilio/twilio-client';
import { listApprovedTemplates } from '../../providers/twilio/twilio-catalog';

/** The account's approved WhatsApp templates, for reaching customers outside the 24-hour window. */
export function templatesRouter(twilio: TwilioClient): Router {
  const r = Router();
  r.get('/', async (_req, res) => {
    res.json({ templates: await listApprovedTemplates(twilio) });
  });
  return r;
}
