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
