import twilio from 'twilio';
import { describe, expect, it } from 'vitest';
import { authorityFixture, type Credential } from './helpers/authority-fixture';
import { harnessRoutes } from './helpers/mounted-routes';
import { expectedAnswer, PRINCIPALS, type Principal, type Row } from './helpers/route-authority';
import { ROUTE_AUTHORITY } from './helpers/route-authority-table';
import { useFixture, useHarness, type ApiResponse } from './helpers/use-harness';

// Every route against every caller who may not use it (README: "Errors", "API keys", F6 and the visitors).
const h = useHarness();
const fx = useFixture(() => authorityFixture(h));

describe('the route table', () => {
  it('has one row for each route the app mounts, and none for a route it does not', () => {
    const mounted = harnessRoutes(h);
    const rows = ROUTE_AUTHORITY.map((r) => r.route);
    expect({
      withoutRow: mounted.filter((route) => !rows.includes(route)),
      notMounted: rows.filter((route) => !mounted.includes(route)),
      twice: rows.filter((route, i) => rows.indexOf(route) !== i),
    }).toEqual({ withoutRow: [], notMounted: [], twice: [] });
  });
});

/** A Twilio webhook, signed by the caller's own account if it has one, else sent with its bearer token. */
async function webhook(path: string, form: Record<string, string>, credential: Credential): Promise<ApiResponse> {
  const signer = credential.twilio;
  const params = signer ? { ...form, AccountSid: signer.sid } : form;
  const url = `${h.apiUrl}${path}`;
  const res = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      ...(signer ? { 'x-twilio-signature': twilio.getExpectedTwilioSignature(signer.authToken, url, params) } : {}),
      ...(credential.bearer ? { authorization: `Bearer ${credential.bearer}` } : {}),
    },
    body: new URLSearchParams(params).toString(),
  });
  const text = await res.text();
  const json = res.headers.get('content-type')?.includes('json');
  return { status: res.status, body: json ? JSON.parse(text) : text, headers: res.headers };
}

/** An event stream's answer: its status, and what it sent before its first heartbeat (or its error). */
async function streamed(path: string, key?: string): Promise<ApiResponse> {
  const gone = new AbortController();
  const res = await fetch(`${h.apiUrl}${path}`, {
    headers: key ? { authorization: `Bearer ${key}` } : {},
    signal: gone.signal,
  });
  if (res.status !== 200) return { status: res.status, body: await res.json(), headers: res.headers };
  let text = '';
  for await (const chunk of res.body!) {
    text += Buffer.from(chunk as Uint8Array).toString();
    if (text.includes(': heartbeat')) break;
  }
  gone.abort();
  return { status: res.status, body: text, headers: res.headers };
}

/** A body no route accepts: a caller without the right must hear so before anything about its body. */
const INVALID_BODY = { unexpected: 'field' };

/** The route called as the principal, its path naming the first organisation's rows. */
function attempt(row: Row, principal: Principal, invalidBody = false): Promise<ApiResponse> {
  const { first, other } = fx;
  const credential = fx.credentials[principal];
  const caller = principal.startsWith('another organisation') ? other : first;
  const [method, pattern] = row.route.split(' ') as [string, string];
  const params: Record<string, string> = {
    id: row.id ? first[row.id] : '',
    brandId: first.brandId,
    messageId: first.messageId,
    index: '0',
  };
  const path =
    pattern.replace(/:(\w+)/g, (_, name: string) => params[name]!) + (row.query ? `?${row.query(first)}` : '');
  const body = row.body && (invalidBody ? INVALID_BODY : row.body(first, caller));
  if (row.who === 'Twilio signature') return webhook(path, body as Record<string, string>, credential);
  if (row.stream) return streamed(path, credential.bearer);
  // A Twilio signature opens no other route: sent as the header Twilio would, over this URL.
  const signed = credential.twilio && {
    'x-twilio-signature': twilio.getExpectedTwilioSignature(credential.twilio.authToken, `${h.apiUrl}${path}`, {}),
  };
  return h.request(method, path, { key: credential.bearer, body, headers: { ...row.headers, ...signed } });
}

// Titled here, as '%s', since a '$field' title is cut at 40 characters.
const cases = ROUTE_AUTHORITY.map((row) => {
  const refused = PRINCIPALS.flatMap((principal) => {
    const expected = expectedAnswer(row, principal);
    if (expected === 'allowed') return [];
    const answer = expected === 'own data' ? 'a 2xx about its own data' : `${expected.status} ${expected.code}`;
    return [[`${principal} → ${answer}`, principal, expected] as const];
  });
  return [`${row.route} (who may: ${row.who})`, row, refused] as const;
}).filter(([, , refused]) => refused.length > 0);

describe.each(cases)('%s', (_, row, refused) => {
  it.each(refused)('%s', async (_, principal, expected) => {
    const res = await attempt(row, principal);
    const seen = JSON.stringify(res.body);
    if (expected === 'own data') {
      expect(res.status, seen).toBeGreaterThanOrEqual(200);
      expect(res.status, seen).toBeLessThan(300);
      const unseen = fx.unseen[principal];
      if (!unseen) throw new Error(`the fixture names nothing ${principal} must not see`);
      expect(unseen.filter((id) => seen.includes(id))).toEqual([]);
      return;
    }
    expect([res.status, res.body?.error?.code], seen).toEqual([expected.status, expected.code]);
    // Who the caller is (401, 403) is decided first; whether a row is theirs (404) may need the body to be valid.
    if (row.body && (expected.status === 401 || expected.status === 403)) {
      const invalid = await attempt(row, principal, true);
      expect([invalid.status, invalid.body?.error?.code], 'with an invalid body').toEqual([
        expected.status,
        expected.code,
      ]);
    }
  });
});
