import type { NumberType } from '../../domain/number-pricing';
import type { TwilioAccount } from './twilio-account';
import { createTwilioClient, type TwilioClient } from './twilio-client';
import { callTwilio } from './twilio-errors';

export interface AvailableNumber {
  phoneNumber: string;
  friendlyName: string;
  locality: string | null;
  region: string | null;
  country: string;
}

export interface WhatsAppTemplate {
  contentSid: string;
  name: string;
  language: string;
  /** The Content API's type (`twilio/text`, `twilio/quick-reply`, `twilio/card`…), so a desk knows what it sends. */
  contentType: string;
  /** The text the customer reads: the body, or a card's title when it has none. */
  body: string;
  variables: Record<string, string>;
}

type ContentTypes = Record<string, { body?: unknown; title?: unknown } | undefined>;

/** A template's first content type and its text; the list read only `twilio/text` and showed others empty. */
function contentOf(types: ContentTypes): Pick<WhatsAppTemplate, 'contentType' | 'body'> {
  const [contentType, content] = Object.entries(types)[0] ?? ['twilio/text', undefined];
  const text = content?.body ?? content?.title;
  return { contentType, body: typeof text === 'string' ? text : '' };
}

/** The account's WhatsApp templates that Meta approved (Content API): only those can be sent. */
async function listApprovedTemplates(twilio: TwilioClient): Promise<WhatsAppTemplate[]> {
  const contents = await callTwilio(() => twilio.content.v1.contentAndApprovals.list({ limit: 500 }));
  return contents
    .filter((c) => (c.approvalRequests as { status?: string }).status === 'approved')
    .map((c) => ({
      contentSid: c.sid,
      name: c.friendlyName,
      language: c.language,
      ...contentOf(c.types as ContentTypes),
      variables: c.variables as unknown as Record<string, string>,
    }));
}

/** A WhatsApp sender of the account, as the Senders API shows it. */
export interface WhatsAppSender {
  sid: string;
  status: string;
}

/** The number's WhatsApp sender on this account, if it has one (Senders API). */
async function senderOf(twilio: TwilioClient, e164: string): Promise<WhatsAppSender | undefined> {
  const senders = await callTwilio(() =>
    twilio.messaging.v2.channelsSenders.list({ channel: 'whatsapp', limit: 1000 }),
  );
  const sender = senders.find((s) => s.senderId === `whatsapp:${e164}`);
  return sender && { sid: sender.sid, status: sender.status };
}

/** Numbers Twilio has for sale (F9). */
async function listAvailableNumbers(
  twilio: TwilioClient,
  query: { country: string; type: NumberType; contains?: string },
): Promise<AvailableNumber[]> {
  const country = twilio.availablePhoneNumbers(query.country);
  const options = { limit: 30, ...(query.contains ? { contains: query.contains } : {}) };
  type Listed = { phoneNumber: string; friendlyName: string; locality: string; region: string; isoCountry: string };
  const numbers = await callTwilio<Listed[]>(() =>
    query.type === 'toll_free'
      ? country.tollFree.list(options)
      : query.type === 'local'
        ? country.local.list(options)
        : country.mobile.list(options),
  );
  return numbers.map((n) => ({
    phoneNumber: n.phoneNumber,
    friendlyName: n.friendlyName,
    locality: n.locality || null,
    region: n.region || null,
    country: n.isoCountry,
  }));
}

/**
 * What the account offers to pick from — numbers for sale, approved templates, its senders — for callers
 * that wait for the answer. Reads only: sending and buying happen in activities.
 */
export function createTwilioCatalog(account: TwilioAccount) {
  const twilio = createTwilioClient(account);
  return {
    listAvailableNumbers: (query: { country: string; type: NumberType; contains?: string }) =>
      listAvailableNumbers(twilio, query),
    listApprovedTemplates: () => listApprovedTemplates(twilio),
    senderOf: (e164: string) => senderOf(twilio, e164),
  };
}

export type TwilioCatalog = ReturnType<typeof createTwilioCatalog>;
