import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import { NUMBER_TYPES } from '../../domain/number-pricing';
import { pageQuery } from '../page-query';
import { idParam } from '../request-schemas';
import { availableQuery, purchaseBody } from '../routes/number-purchase-routes';
import { associationBody, brandSwitchBody, brandSwitchParams, existingBody, limitsBody } from '../routes/number-routes';
import { settingsBody } from '../routes/settings-routes';
import { answer, nextCursor } from './common-schemas';
import { describeOperation, type Codes } from './describe-operation';
import { number, numberBrands, settings } from './view-schemas';

const appliesTo = z.string().meta({ description: 'Which conversations the change applies to' });
const twilioRead: Codes = {
  409: ['consent_required', 'twilio_account_not_ready'],
  502: ['provider_rejected', 'provider_unavailable'],
};
const buying: Codes = {
  409: ['consent_required', 'approval_required', 'twilio_account_not_ready'],
  402: ['payment_method_required'],
};
const association: Codes = {
  404: ['brand_not_found', 'department_not_found'],
  422: ['department_not_linked_to_brand'],
};

/** F9, F10, F12, F13, F15: numbers for sale, buying and adopting numbers, where their chats go; settings, templates. */
export function describeNumbers(registry: OpenAPIRegistry): void {
  const tag = 'Numbers';
  describeOperation(registry, {
    method: 'get',
    path: '/v1/whatsapp/numbers/available',
    tag,
    summary: "Numbers for sale in the organisation's Twilio subaccount (F9)",
    who: 'admin',
    query: availableQuery,
    answers: {
      200: {
        description: 'Numbers for sale, with their monthly price',
        schema: answer({
          numbers: z.array(
            answer({
              phoneNumber: z.string(),
              friendlyName: z.string(),
              locality: z.string().nullable(),
              region: z.string().nullable(),
              country: z.string(),
              type: z.enum(NUMBER_TYPES),
              monthlyPrice: answer({ cents: z.int(), usd: z.string() }),
            }),
          ),
        }),
      },
    },
    errors: { ...buying, 502: ['provider_rejected', 'provider_unavailable'] },
  });
  describeOperation(registry, {
    method: 'post',
    path: '/v1/whatsapp/numbers',
    tag,
    summary: 'Buy a number: its purchase and sender registration run in a workflow (F9/F13)',
    who: 'admin',
    body: purchaseBody,
    answers: { 202: { description: 'Pending: follow it in the list', schema: answer({ number, next: z.string() }) } },
    errors: {
      ...association,
      ...buying,
      409: [
        'consent_required',
        'approval_required',
        'twilio_account_not_ready',
        'number_already_registered',
        'number_purchase_in_progress',
      ],
    },
  });
  describeOperation(registry, {
    method: 'delete',
    path: '/v1/whatsapp/numbers/:id',
    tag,
    summary: 'Cancel a subscription: the number stays live until the paid period ends (F13)',
    who: 'admin',
    params: idParam,
    answers: { 200: { description: 'The number, no longer renewing', schema: answer({ number }) } },
    errors: { 404: ['not_found'], 409: ['not_a_subscription', 'number_not_active', 'already_cancelled'] },
  });
  describeOperation(registry, {
    method: 'post',
    path: '/v1/whatsapp/numbers/existing',
    tag,
    summary: "Adopt a WhatsApp sender already ONLINE on the organisation's subaccount (F1)",
    who: 'admin',
    body: existingBody,
    answers: { 201: { description: 'The number, as the numbers page shows it', schema: answer({ number }) } },
    errors: {
      ...twilioRead,
      ...association,
      404: ['brand_not_found', 'department_not_found', 'sender_not_found'],
      409: ['consent_required', 'twilio_account_not_ready', 'sender_not_online', 'number_already_registered'],
    },
  });
  describeOperation(registry, {
    method: 'patch',
    path: '/v1/whatsapp/numbers/:id/limits',
    tag,
    summary: "Override the organisation's close limits for one number (null inherits again) (F12)",
    who: 'admin',
    params: idParam,
    body: limitsBody,
    answers: { 200: { description: 'The number, as the numbers page shows it', schema: answer({ number }) } },
    errors: { 404: ['not_found'] },
  });
  describeOperation(registry, {
    method: 'put',
    path: '/v1/whatsapp/numbers/:id/association',
    tag,
    summary: "Send the number's new conversations to a brand and department (F10)",
    who: 'admin',
    params: idParam,
    body: associationBody,
    answers: {
      200: { description: 'The number, as the numbers page shows it', schema: answer({ number, appliesTo }) },
    },
    errors: { ...association, 404: ['not_found', 'brand_not_found', 'department_not_found'] },
  });
  describeOperation(registry, {
    method: 'patch',
    path: '/v1/whatsapp/numbers/:id/brands/:brandId',
    tag,
    summary: "Switch a brand on the number on or off: off records its customers' messages but routes none (F15)",
    who: 'admin',
    params: brandSwitchParams,
    body: brandSwitchBody,
    answers: { 200: { description: "The number's brands", schema: answer({ brands: numberBrands }) } },
    errors: { 404: ['not_found', 'brand_not_on_number'] },
  });
  describeOperation(registry, {
    method: 'get',
    path: '/v1/whatsapp/numbers',
    tag,
    summary: "The organisation's numbers, oldest first, with subscriptions and brands (F13/F15)",
    who: 'admin',
    query: pageQuery,
    answers: { 200: { description: 'A page of numbers', schema: answer({ numbers: z.array(number), nextCursor }) } },
  });

  describeOperation(registry, {
    method: 'get',
    path: '/v1/whatsapp/settings',
    tag: 'Settings',
    summary: "The channel's settings: close limits, closing notice, unavailable reply (F11/F12)",
    who: 'admin',
    answers: { 200: { description: 'The settings', schema: answer({ settings }) } },
  });
  describeOperation(registry, {
    method: 'put',
    path: '/v1/whatsapp/settings',
    tag: 'Settings',
    summary: 'Change the settings, for conversations that start afterwards (F12/F16)',
    who: 'admin',
    body: settingsBody,
    answers: { 200: { description: 'The settings', schema: answer({ settings, appliesTo }) } },
    errors: { 422: ['not_available_on_whatsapp'] },
  });
  describeOperation(registry, {
    method: 'get',
    path: '/v1/whatsapp/templates',
    tag: 'Settings',
    summary: "The organisation's approved WhatsApp templates, for writing after the 24-hour window",
    who: 'admin or operator',
    answers: {
      200: {
        description: 'The templates',
        schema: answer({
          templates: z.array(
            answer({
              contentSid: z.string(),
              name: z.string(),
              language: z.string(),
              contentType: z.string(),
              body: z.string(),
              variables: z.record(z.string(), z.string()),
            }),
          ),
        }),
      },
    },
    errors: twilioRead,
  });
}
