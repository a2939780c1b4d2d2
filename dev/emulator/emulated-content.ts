import { Router } from 'express';
import { actingAccount } from './emulator-auth';
import type { EmulatedTemplate, EmulatorState } from './emulator-state';
import { newSid, rfc2822 } from './twilio-wire';

/**
 * A few WhatsApp templates as an account would have them: three approved (one with quick replies), one
 * rejected. Every account gets its own, with its own SIDs: no account can send another's.
 */
export function seedTemplates(state: EmulatorState, accountSid: string): void {
  const seed: Omit<EmulatedTemplate, 'sid' | 'accountSid'>[] = [
    {
      friendlyName: 'order_update',
      language: 'en',
      body: 'Hi {{1}}, your order {{2}} has an update.',
      variables: { '1': 'name', '2': 'order' },
      status: 'approved',
    },
    {
      friendlyName: 'follow_up',
      language: 'en',
      body: 'Hi {{1}}, we are back with an answer to your question. Reply to continue.',
      variables: { '1': 'name' },
      status: 'approved',
    },
    {
      friendlyName: 'delivery_choice',
      language: 'en',
      body: 'Your parcel {{1}} is ready. When should we deliver it?',
      variables: { '1': 'parcel' },
      status: 'approved',
      types: {
        'twilio/quick-reply': {
          body: 'Your parcel {{1}} is ready. When should we deliver it?',
          actions: [
            { title: 'Today', id: 'today' },
            { title: 'Tomorrow', id: 'tomorrow' },
          ],
        },
      },
    },
    {
      friendlyName: 'promo_blast',
      language: 'en',
      body: 'Big sale!',
      variables: {},
      status: 'rejected',
      rejectionReason: 'Marketing content in a utility template',
    },
  ];
  for (const t of seed) {
    const sid = newSid('HX');
    state.templates.set(sid, { sid, accountSid, ...t });
  }
}

/** Content API (content.twilio.com/v1): the caller's templates with their WhatsApp approval status. */
export function contentRouter(state: EmulatorState): Router {
  const r = Router();
  r.get('/v1/ContentAndApprovals', (_req, res) => {
    const created = rfc2822(new Date(0));
    const accountSid = actingAccount(res);
    res.json({
      contents: [...state.templates.values()]
        .filter((t) => t.accountSid === accountSid)
        .map((t) => ({
          sid: t.sid,
          account_sid: accountSid,
          friendly_name: t.friendlyName,
          language: t.language,
          variables: t.variables,
          types: t.types ?? { 'twilio/text': { body: t.body } },
          approval_requests: {
            name: t.friendlyName,
            category: 'UTILITY',
            status: t.status,
            rejection_reason: t.rejectionReason ?? '',
          },
          date_created: created,
          date_updated: created,
        })),
      meta: {
        page: 0,
        page_size: 50,
        first_page_url: '',
        previous_page_url: null,
        url: '',
        next_page_url: null,
        key: 'contents',
      },
    });
  });
  return r;
}
