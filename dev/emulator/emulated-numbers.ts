import express, { Router } from 'express';
import { isAvailable } from './emulated-available-numbers';
import { actingAccount } from './emulator-auth';
import type { EmulatedNumber, EmulatorState } from './emulator-state';
import { onlineSender } from './sender-lifecycle';
import { newSid, onePage, rfc2822, twilioError } from './twilio-wire';

type NumberSettings = Pick<EmulatedNumber, 'accountSid'> &
  Partial<Pick<EmulatedNumber, 'whatsappSender' | 'smsUrl' | 'smsMethod' | 'friendlyName' | 'purchased'>>;

/**
 * A number on an account. One that is already a WhatsApp sender (an existing integration's) also gets its
 * ONLINE sender in the Senders API, where Switchboard looks before adopting it.
 */
export function addNumber(state: EmulatorState, phoneNumber: string, opts: NumberSettings): EmulatedNumber {
  const existing = state.numbers.get(phoneNumber);
  if (existing) {
    if (opts.whatsappSender && !existing.whatsappSender) onlineSender(state, existing);
    return existing;
  }
  const number: EmulatedNumber = {
    sid: newSid('PN'),
    accountSid: opts.accountSid,
    phoneNumber,
    // Its sender, added below, makes it one.
    whatsappSender: false,
    smsUrl: opts.smsUrl,
    smsMethod: opts.smsMethod,
    friendlyName: opts.friendlyName ?? phoneNumber,
    purchased: opts.purchased,
    dateCreated: new Date(),
  };
  state.numbers.set(phoneNumber, number);
  if (opts.whatsappSender) onlineSender(state, number);
  return number;
}

function numberJson(n: EmulatedNumber) {
  const accountSid = n.accountSid;
  return {
    sid: n.sid,
    account_sid: accountSid,
    phone_number: n.phoneNumber,
    friendly_name: n.friendlyName,
    sms_url: n.smsUrl ?? '',
    sms_method: n.smsMethod ?? 'POST',
    capabilities: { sms: true, mms: true, voice: true, fax: false },
    status: 'in-use',
    api_version: '2010-04-01',
    date_created: rfc2822(n.dateCreated),
    date_updated: rfc2822(n.dateCreated),
    uri: `/2010-04-01/Accounts/${accountSid}/IncomingPhoneNumbers/${n.sid}.json`,
  };
}

/** The account's numbers (IncomingPhoneNumbers): listed in Twilio's paged envelope, bought, released. */
export function numbersRouter(state: EmulatorState): Router {
  const r = Router({ mergeParams: true });
  r.use(express.urlencoded({ extended: false }));
  const own = (res: express.Response) => [...state.numbers.values()].filter((n) => n.accountSid === actingAccount(res));

  r.get('/IncomingPhoneNumbers.json', (req, res) => {
    const filter = typeof req.query.PhoneNumber === 'string' ? req.query.PhoneNumber : undefined;
    const numbers = own(res)
      .filter((n) => !filter || n.phoneNumber === filter)
      .map(numberJson);
    const base = `/2010-04-01/Accounts/${actingAccount(res)}/IncomingPhoneNumbers.json`;
    res.json(onePage('incoming_phone_numbers', numbers, `${base}?PageSize=50&Page=0`, 50));
  });

  // Buying a number: only one from the inventory that nobody holds.
  r.post('/IncomingPhoneNumbers.json', (req, res) => {
    const form = req.body as Record<string, string | string[] | undefined>;
    const field = (name: string) => [form[name] ?? []].flat()[0] || undefined;
    const phoneNumber = field('PhoneNumber');
    if (!phoneNumber) return twilioError(res, 400, 21421, 'PhoneNumber is required.');
    if (!isAvailable(state, phoneNumber)) return twilioError(res, 400, 21422, 'PhoneNumber requested is not available');
    const n = addNumber(state, phoneNumber, {
      accountSid: actingAccount(res),
      whatsappSender: false,
      smsUrl: field('SmsUrl'),
      smsMethod: field('SmsMethod'),
      friendlyName: field('FriendlyName'),
      purchased: true,
    });
    res.status(201).json(numberJson(n));
  });

  r.get('/IncomingPhoneNumbers/:sid.json', (req, res) => {
    const n = own(res).find((x) => x.sid === req.params.sid);
    if (!n) return twilioError(res, 404, 20404, `The requested resource ${req.path} was not found`);
    res.json(numberJson(n));
  });

  r.delete('/IncomingPhoneNumbers/:sid.json', (req, res) => {
    const n = own(res).find((x) => x.sid === req.params.sid);
    if (!n) return twilioError(res, 404, 20404, `The requested resource ${req.path} was not found`);
    state.numbers.delete(n.phoneNumber);
    state.released.push(n.phoneNumber);
    res.status(204).end();
  });

  return r;
}
