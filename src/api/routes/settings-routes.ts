import { Router } from 'express';
import { z } from 'zod';
import type { Db } from '../../db/database';
import { saveSettings, settingsOf, type ChannelSettings } from '../../db/queries/settings-queries';
import { authOf, requireAdmin } from '../auth';
import { ApiError, parse } from '../api-errors';

const DAY = 24 * 60 * 60;
export const LIMITS = {
  chatCloseLimitSeconds: { min: 1, max: 7 * DAY },
  idleCloseSeconds: { min: 1, max: 30 * DAY },
};
const seconds = (name: keyof typeof LIMITS) =>
  z
    .number()
    .int()
    .min(LIMITS[name].min, `must be between ${LIMITS[name].min} and ${LIMITS[name].max} seconds`)
    .max(LIMITS[name].max, `must be between ${LIMITS[name].min} and ${LIMITS[name].max} seconds`);

/** F16: these are web-chat features; WhatsApp has no place for them. */
const WEB_ONLY = ['preChatForm', 'interactiveMessages', 'feedbackForm'] as const;

const settingsBody = z
  .object({
    chatCloseLimitSeconds: seconds('chatCloseLimitSeconds').optional(),
    idleCloseSeconds: seconds('idleCloseSeconds').optional(),
    closingNotice: z.string().trim().min(1).max(1024).nullable().optional(),
    unavailableReply: z.string().trim().min(1).max(1024).optional(),
    preChatForm: z.boolean().optional(),
    interactiveMessages: z.boolean().optional(),
    feedbackForm: z.boolean().optional(),
  })
  .strict();

export const settingsView = (s: ChannelSettings) => ({
  chatCloseLimitSeconds: s.chatCloseLimitSeconds,
  idleCloseSeconds: s.idleCloseSeconds,
  closingNotice: s.closingNotice,
  unavailableReply: s.unavailableReply,
  preChatForm: false,
  interactiveMessages: false,
  feedbackForm: false,
  limits: LIMITS,
});

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
      throw new ApiError(422, 'not_available_on_whatsapp', `${enabled.join(', ')} cannot be enabled: WhatsApp conversations have no pre-chat form, interactive message actions or feedback form`, {
        fields: enabled,
      });
    }
    const { preChatForm: _p, interactiveMessages: _i, feedbackForm: _f, ...values } = body;
    res.json({ settings: settingsView(await saveSettings(db, authOf(res).orgId, values)), appliesTo: 'conversations that start from now on' });
  });

  return r;
}
