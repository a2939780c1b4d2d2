import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

const FORMAT = 'v1';

/** The configured key does not open what is stored: it was changed, or the row was tampered with. */
export class SealedSecretError extends Error {
  override readonly name = 'SealedSecretError';
}

/**
 * Seals a secret for the database with AES-256-GCM under SWITCHBOARD_SECRETS_KEY. `boundTo` (the row's own
 * id: an account SID, an endpoint id) is the additional data, so a sealed value copied onto another row
 * does not open there.
 */
export function seal(key: Buffer, boundTo: string, secret: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv).setAAD(Buffer.from(boundTo));
  const sealed = Buffer.concat([cipher.update(secret, 'utf8'), cipher.final()]);
  return [FORMAT, ...[iv, cipher.getAuthTag(), sealed].map((part) => part.toString('base64'))].join('.');
}

export function unseal(key: Buffer, boundTo: string, sealed: string): string {
  const [format, iv, tag, data] = sealed.split('.');
  try {
    if (format !== FORMAT || !iv || !tag || !data) throw new Error(`unknown format ${format}`);
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64'))
      .setAAD(Buffer.from(boundTo))
      .setAuthTag(Buffer.from(tag, 'base64'));
    return Buffer.concat([decipher.update(Buffer.from(data, 'base64')), decipher.final()]).toString('utf8');
  } catch {
    throw new SealedSecretError(
      `SWITCHBOARD_SECRETS_KEY does not open the stored secret of ${boundTo}: was the key changed?`,
    );
  }
}
