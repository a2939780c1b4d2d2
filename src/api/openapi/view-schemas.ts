import { z } from 'zod';
import { NUMBER_STATUSES, SUBSCRIPTION_STATES } from '../../contracts/number-contract';
import { ONBOARDING_METHODS, ONBOARDING_STATUSES } from '../../contracts/onboarding-contract';
import { CLOSE_REASONS, CONVERSATION_STATUSES } from '../../domain/conversation-timeline';
import { MESSAGE_STATUSES } from '../../domain/message-status';
import { NUMBER_TYPES } from '../../domain/number-pricing';
import { answer, id, timestamp } from './common-schemas';

/** The answers more than one resource carries: what `src/api/views/*` and the queries shape. */

const usd = z
  .string()
  .regex(/^\d+\.\d{2,}$/)
  .meta({ description: 'US dollars, an exact decimal string' });
const limit = answer({ min: z.int(), max: z.int() });

/** settingsView: the channel's settings; the web-chat extras are always off on WhatsApp (F16). */
export const settings = answer({
  chatCloseLimitSeconds: z.int(),
  idleCloseSeconds: z.int(),
  closingNotice: z.string().nullable(),
  unavailableReply: z.string(),
  preChatForm: z.literal(false),
  interactiveMessages: z.literal(false),
  feedbackForm: z.literal(false),
  limits: answer({ chatCloseLimitSeconds: limit, idleCloseSeconds: limit }),
}).meta({ id: 'ChannelSettings' });

/** A phone number as stored: what the routes that change one answer. */
/** A number's own columns; the numbers page adds its phone number, subscription and brands. */
const numberRow = answer({
  id,
  orgId: id,
  e164: z.string(),
  country: z.string().nullable(),
  numberType: z.enum(NUMBER_TYPES).nullable(),
  source: z.enum(['existing', 'purchased']),
  providerSid: z.string().nullable(),
  status: z.enum(NUMBER_STATUSES),
  brandId: id.nullable(),
  departmentId: id.nullable(),
  subscriptionExpiresAt: timestamp.nullable(),
  subscriptionState: z.enum(SUBSCRIPTION_STATES).nullable(),
  monthlyPriceCents: z.int().nullable(),
  provisioningStep: z.string().nullable(),
  senderSid: z.string().nullable(),
  statusReason: z.string().nullable(),
  releasedAt: timestamp.nullable(),
  chatCloseLimitSeconds: z.int().nullable(),
  idleCloseSeconds: z.int().nullable(),
  createdAt: timestamp,
});

export const numberSubscription = answer({
  state: z.enum(SUBSCRIPTION_STATES).nullable(),
  expiresAt: timestamp.nullable(),
  monthlyPriceUsd: usd.nullable(),
  renewsAutomatically: z.boolean(),
})
  .nullable()
  .meta({ description: 'Purchased numbers only; null for a number adopted from an existing integration' });

export const numberBrands = z.array(answer({ brandId: id, name: z.string(), enabled: z.boolean() }));

/** numberView: the numbers page's number (F13/F15). */
export const number = numberRow
  .extend({ phoneNumber: z.string(), subscription: numberSubscription, brands: numberBrands })
  .meta({ id: 'Number' });

/** requestView: one Business Manager link request (F6-F8). */
export const onboardingRequest = answer({
  requestId: id,
  status: z.enum(ONBOARDING_STATUSES),
  method: z.enum(ONBOARDING_METHODS),
  businessManagerId: z.string(),
  wabaId: z.string().nullable(),
  reason: z.string().nullable(),
  expiresAt: timestamp,
  remindersSent: z.int(),
  createdAt: timestamp,
  decidedAt: timestamp.nullable(),
}).meta({ id: 'OnboardingRequest' });

export const conversation = answer({
  id,
  orgId: id,
  channel: z.enum(['whatsapp', 'web', 'app']),
  numberId: id.nullable(),
  customerAddress: z.string(),
  customerName: z.string().nullable(),
  seq: z.int(),
  workflowId: z.string(),
  brandId: id.nullable(),
  departmentId: id.nullable(),
  operatorId: id.nullable(),
  status: z.enum(CONVERSATION_STATUSES),
  closeReason: z.enum(CLOSE_REASONS).nullable(),
  lastInboundAt: timestamp.nullable(),
  assignedAt: timestamp.nullable(),
  queuedAt: timestamp,
  createdAt: timestamp,
  closedAt: timestamp.nullable(),
}).meta({ id: 'Conversation' });

const messageFields = {
  id,
  orgId: id,
  conversationId: id,
  direction: z.enum(['inbound', 'outbound']),
  body: z.string(),
  providerSid: z.string().nullable(),
  requestId: z.string().nullable(),
  status: z.enum(MESSAGE_STATUSES),
  errorCode: z.string().nullable(),
  errorMessage: z.string().nullable(),
  operatorId: id.nullable(),
  creditsCharged: z.int(),
  createdAt: timestamp,
  statusUpdatedAt: timestamp,
};

/** messageView: what operators see; a customer's media is downloaded through `downloadUrl`, never Twilio's URL. */
export const message = answer({
  ...messageFields,
  attachments: z.array(
    z.union([
      answer({ url: z.string(), contentType: z.string().nullable() }),
      answer({
        contentType: z.string(),
        allowed: z.boolean(),
        placeholder: z.string().nullable(),
        downloadUrl: z.string().nullable(),
      }),
    ]),
  ),
}).meta({ id: 'Message' });

/** A reply as stored, which `POST /v1/conversations/{id}/messages` answers. */
export const storedMessage = answer({
  ...messageFields,
  attachments: z.array(
    answer({
      url: z.string(),
      contentType: z.string(),
      allowed: z.boolean().optional(),
      placeholder: z.string().optional(),
    }),
  ),
}).meta({ id: 'StoredMessage' });
