import twilio from 'twilio';

/** Posts a form the way Twilio does: url-encoded and signed with the account's auth token. */
export async function postSigned(
  url: string,
  authToken: string,
  params: Record<string, string>,
): Promise<{ status: number; body: string }> {
  const signature = twilio.getExpectedTwilioSignature(authToken, url, params);
  const res = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      'x-twilio-signature': signature,
      'user-agent': 'TwilioProxy/1.1',
    },
    body: new URLSearchParams(params).toString(),
  });
  return { status: res.status, body: await res.text() };
}
