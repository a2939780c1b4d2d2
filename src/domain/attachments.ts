/** A message's attachment as stored: operators download allowed ones through our API, never from Twilio. */
export interface Attachment {
  /** Twilio's media URL; never shown to operators, who download through our API. */
  url: string;
  contentType: string;
  /** F17: false for content this channel does not carry (voice notes, stickers, locations…). */
  allowed?: boolean;
  /** What the operator sees instead of unsupported content. */
  placeholder?: string;
}

/** F17: the only attachment types this channel carries. */
export const ALLOWED_ATTACHMENT_EXTENSIONS = ['png', 'jpg', 'jpeg', 'mp3', 'mp4', 'pdf'] as const;

export const CONTENT_TYPES: Record<(typeof ALLOWED_ATTACHMENT_EXTENSIONS)[number], string> = {
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  mp3: 'audio/mpeg',
  mp4: 'video/mp4',
  pdf: 'application/pdf',
};

export function extensionOf(url: string): string | undefined {
  const path = new URL(url).pathname;
  const match = /\.([A-Za-z0-9]+)$/.exec(path);
  return match?.[1]?.toLowerCase();
}

export function isAllowedAttachmentUrl(url: string): boolean {
  const ext = extensionOf(url);
  return ext !== undefined && (ALLOWED_ATTACHMENT_EXTENSIONS as readonly string[]).includes(ext);
}

const ALLOWED_CONTENT_TYPES = new Set(Object.values(CONTENT_TYPES));

/** Size limits per kind, as WhatsApp applies them. */
export const MAX_ATTACHMENT_BYTES = (contentType: string) => (contentType.startsWith('image/') ? 5 : 16) * 1024 * 1024;

export const ACCEPTED_TYPES_NOTICE =
  'Sorry, we can only receive pictures (png, jpg), audio (mp3), video (mp4) and PDF documents here. Please send your message as one of those, or as text.';

function describe(contentType: string): string {
  if (contentType === 'audio/ogg' || contentType.startsWith('audio/ogg')) return 'a voice message';
  if (contentType === 'image/webp') return 'a sticker';
  if (contentType.startsWith('audio/')) return 'an audio file';
  if (contentType.startsWith('video/')) return 'a video';
  if (contentType.startsWith('image/')) return 'an image';
  return 'a document';
}

/** F17 for a customer's media: allowed types become attachments; anything else a placeholder the operator sees. */
export function classifyInbound(media: { url: string; contentType: string }): {
  url: string;
  contentType: string;
  allowed: boolean;
  placeholder?: string;
} {
  const contentType = media.contentType.split(';')[0]!.trim().toLowerCase();
  if (ALLOWED_CONTENT_TYPES.has(contentType)) return { ...media, contentType, allowed: true };
  return {
    ...media,
    contentType,
    allowed: false,
    placeholder: `[The customer sent ${describe(contentType)} (${contentType}), which this channel does not accept]`,
  };
}

export function locationPlaceholder(
  latitude: string,
  longitude: string,
  label?: string,
): { url: string; contentType: string; allowed: false; placeholder: string } {
  const where = label ? `${label} (${latitude}, ${longitude})` : `${latitude}, ${longitude}`;
  return {
    url: '',
    contentType: 'location',
    allowed: false,
    placeholder: `[The customer shared a location: ${where}, which this channel does not accept]`,
  };
}
