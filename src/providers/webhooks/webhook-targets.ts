import { lookup } from 'node:dns/promises';
import ipaddr from 'ipaddr.js';

/** Why an endpoint's URL is not one Switchboard will post the organisation's events to. */
export class WebhookTargetError extends Error {
  override readonly name = 'WebhookTargetError';
}

/** Only the public internet: loopback, private, link-local, unique-local, CGNAT, reserved… are someone's inside. */
const isPublicAddress = (address: string): boolean => ipaddr.process(address).range() === 'unicast';

/**
 * Checks an endpoint's URL before it is kept: HTTPS to a host whose every address is public. Unless the
 * deployment allows private targets (development), a URL that resolves to this machine or the network
 * behind it would let an admin make Switchboard post into places only it can reach. Each delivery checks
 * again as it connects (DNS can change): see webhook-sender.ts.
 */
export async function checkWebhookTarget(url: string, opts: { allowPrivate: boolean }): Promise<void> {
  const parsed = new URL(url);
  if (parsed.username || parsed.password) throw new WebhookTargetError('The URL must not carry credentials');
  if (opts.allowPrivate) return;
  if (parsed.protocol !== 'https:') throw new WebhookTargetError('The URL must be https');
  const host = parsed.hostname.replace(/^\[|\]$/g, '');
  const addresses = ipaddr.isValid(host)
    ? [host]
    : await lookup(host, { all: true }).then(
        (found) => found.map((a) => a.address),
        () => {
          throw new WebhookTargetError(`${host} does not resolve`);
        },
      );
  const inside = addresses.filter((a) => !isPublicAddress(a));
  if (inside.length) throw new WebhookTargetError(`${host} resolves to ${inside.join(', ')}, which is not public`);
}
