import { Router } from 'express';
import { z } from 'zod';
import type { Db } from '../../db/database';
import { saveSettings, settingsOf } from '../../db/queries/settings-queries';
import { ApiError, parse } from '../api-errors';
import { authOf, requireAdmin } from '../auth';
import { closeLimit } from '../request-schemas';
import { settingsView } from '../views/settings-view';

/** F16: these are web-chat features; WhatsApp has no place for them. */
const WEB_ONLY = ['preChatForm', 'interactiveMessages', 'feedbackForm'] as const;

export const settingsBody = z
  .object({
    chatCloseLimitSeconds: closeLimit('chatCloseLimitSeconds').optional(),
    idleCloseSeconds: closeLimit('idleCloseSeconds').optional(),
    closingNotice: z.string().trim().min(1).max(1024).nullable().optional(),
    unavailableReply: z.string().trim().min(1).max(1024).optional(),
    preChatForm: z.boolean().optional(),
    interactiveMessages: z.boolean().optional(),
    feedbackForm: z.boolean().optional(),
  })
  .strict();

/** F11/F12/F16: the WhatsApp channel's settings; they apply to conversations that start afterwards. */
export function settingsRouter(db: Db): Router {
  const r = Router();
  r.use(requireAdmin);

  r.get('/', async (_req, res) => {
    res.json({ settings: settingsView(await settingsOf(db, authOf(res).orgId)) });
  });

  r.put('/', async (req, res) => {
    const body = parse(settingsBody, req.body);
    const enabled = WEB_ONLY.filter((k) => body[k] === true);
    if (enabled.length) {
      const message = `${enabled.join(', ')} cannot be enabled: WhatsApp conversations have no pre-chat form, interactive message actions or feedback form`;
      throw new ApiError(422, 'not_available_on_whatsapp', message, { fields: enabled });
    }
    const { preChatForm: _p, interactiveMessages: _i, feedbackForm: _f, ...values } = body;
    const settings = await saveSettings(db, authOf(res).orgId, values);
    res.json({ settings: settingsView(settings), appliesTo: 'conversations that start from now on' });
  });

  return r;
}
