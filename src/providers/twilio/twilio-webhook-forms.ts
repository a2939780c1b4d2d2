import { z } from 'zod';
import { classifyInbound, locationPlaceholder, type Attachment } from '../../domain/attachments';

const sid = (prefix: string) => z.string().regex(new RegExp(`^${prefix}[0-9a-fA-F]{32}$`), `must be a ${prefix} SID`);
const whatsappAddress = z
  .string()
  .regex(/^whatsapp:\S{1,64}$/, 'must be a whatsapp: address')
  .transform((s) => s.slice('whatsapp:'.length));
const whatsappNumber = z
  .string()
  .regex(/^whatsapp:\+[1-9]\d{7,14}$/, 'must be whatsapp:+E.164')
  .transform((s) => s.slice('whatsapp:'.length));

export const MAX_MEDIA = 10;

/** Twilio's inbound WhatsApp form. Unknown fields are ignored: Twilio adds fields over time. */
export const inboundMessageForm = z
  .object({
    MessageSid: z.union([sid('SM'), sid('MM')]),
    AccountSid: sid('AC'),
    From: whatsappAddress,
    To: whatsappNumber,
    Body: z.string().max(4096, 'at most 4096 characters').default(''),
    ProfileName: z.string().max(256).optional(),
    WaId: z.string().max(64).optional(),
    NumMedia: z.coerce.number().int().min(0).max(MAX_MEDIA).default(0),
  })
  .catchall(z.string())
  .superRefine((form, ctx) => {
    for (let i = 0; i < form.NumMedia; i++) {
      if (!z.url().safeParse(form[`MediaUrl${i}`]).success)
        ctx.addIssue({
          code: 'custom',
          path: [`MediaUrl${i}`],
          message: `NumMedia is ${form.NumMedia} but MediaUrl${i} is missing or not a URL`,
        });
    }
  });

export type InboundMessageForm = z.infer<typeof inboundMessageForm>;

/** The message's media and shared location as attachments, unsupported ones as placeholders (F17). */
export function attachmentsOf(form: InboundMessageForm): Attachment[] {
  const media: Attachment[] = Array.from({ length: form.NumMedia }, (_, i) =>
    classifyInbound({
      url: String(form[`MediaUrl${i}`] ?? ''),
      contentType: String(form[`MediaContentType${i}`] ?? ''),
    }),
  );
  const { Latitude: lat, Longitude: long } = form;
  if (typeof lat === 'string' && typeof long === 'string') media.push(locationPlaceholder(lat, long, form.Label));
  return media;
}

export const statusCallbackForm = z
  .object({
    MessageSid: z.union([sid('SM'), sid('MM')]),
    AccountSid: sid('AC'),
    MessageStatus: z.string().min(1),
    ErrorCode: z.string().regex(/^\d+$/).optional(),
  })
  .catchall(z.string());
