import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import { SUBACCOUNT_STATUSES } from '../../contracts/subaccount-contract';
import { idParam } from '../request-schemas';
import { consentBody } from '../routes/channel-routes';
import { accessRequestBody, linkBody } from '../routes/onboarding-routes';
import { decisionBody } from '../routes/provider-routes';
import { answer, timestamp } from './common-schemas';
import { describeOperation } from './describe-operation';
import { number, onboardingRequest, settings } from './view-schemas';

/** accountInfoView (F11): consent, the Twilio subaccount, the Business Manager link, numbers, settings. */
const accountInfo = answer({
  channel: answer({
    consent: answer({
      termsVersion: z.string(),
      acceptedAt: timestamp,
      acceptedBy: answer({ apiKeyPrefix: z.string() }),
    }),
    twilioAccount: answer({
      sid: z.string().nullable(),
      status: z.enum(SUBACCOUNT_STATUSES),
      reason: z.string().nullable(),
    }),
    onboarding: z.union([
      answer({ status: z.literal('not_started'), canBuyNumbers: z.literal(false) }),
      onboardingRequest.extend({
        canBuyNumbers: z.boolean(),
        history: z.array(answer({ event: z.string(), note: z.string().nullable(), at: timestamp })),
      }),
    ]),
    numbers: z.array(
      number.pick({
        id: true,
        phoneNumber: true,
        status: true,
        statusReason: true,
        source: true,
        brandId: true,
        departmentId: true,
        subscription: true,
        brands: true,
      }),
    ),
    settings,
  }),
}).meta({ id: 'AccountInfo' });

export const withRequest = answer({ request: onboardingRequest });

/** F4-F8, F11: the WhatsApp channel, its Twilio subaccount, and the Business Manager link. */
export function describeChannel(registry: OpenAPIRegistry): void {
  const tag = 'WhatsApp channel';
  describeOperation(registry, {
    method: 'post',
    path: '/v1/whatsapp/channel',
    tag,
    summary: 'Create the channel by consenting to Twilio as intermediary (F4/F5)',
    description: "Consenting again keeps the first consent and retries the organisation's Twilio subaccount.",
    who: 'admin',
    body: consentBody,
    answers: {
      201: { description: 'The channel, created', schema: accountInfo },
      200: { description: 'The channel, already there', schema: accountInfo },
    },
  });
  describeOperation(registry, {
    method: 'get',
    path: '/v1/whatsapp/channel',
    tag,
    summary: 'The account info: consent, subaccount, onboarding and its history, numbers, settings (F11)',
    who: 'admin',
    answers: { 200: { description: 'The channel', schema: accountInfo } },
    errors: { 404: ['channel_not_created'] },
  });
  const refusedRequest = { 409: ['consent_required', 'onboarding_in_progress', 'already_approved'] };
  describeOperation(registry, {
    method: 'post',
    path: '/v1/whatsapp/channel/link-existing',
    tag,
    summary: 'Reuse a Business Manager account another product linked (F6)',
    who: 'admin',
    body: linkBody,
    answers: {
      202: {
        description: 'Waiting for the product that linked it to approve',
        schema: answer({ request: onboardingRequest, next: z.string() }),
      },
    },
    errors: { ...refusedRequest, 404: ['business_account_not_found'], 422: ['business_manager_not_verified'] },
  });
  describeOperation(registry, {
    method: 'post',
    path: '/v1/whatsapp/channel/access-request',
    tag,
    summary: "Request access for a new link: the provider's onboarding team reviews it (F7)",
    who: 'admin',
    body: accessRequestBody,
    answers: { 202: { description: 'Pending approval', schema: withRequest } },
    errors: { ...refusedRequest, 422: ['business_manager_not_verified', 'contact_phone_is_whatsapp_number'] },
  });
  describeOperation(registry, {
    method: 'post',
    path: '/v1/provider/access-requests/:id/decision',
    tag,
    summary: 'Approve (with the WhatsApp Business Account) or reject an access request (F8)',
    who: 'provider secret',
    params: idParam,
    body: decisionBody,
    answers: { 200: { description: 'The decided request', schema: withRequest } },
    errors: { 404: ['not_found'], 409: ['request_not_pending'] },
  });
}
