import express, { Router } from 'express';
import { isAvailable } from './emulated-available-numbers';
import type { EmulatedNumber, EmulatorState } from './emulator-state';
import { newSid, onePage, rfc2822, twilioError } from './twilio-wire';

type NumberSettings = Partial<
  Pick<EmulatedNumber, 'whatsappSender' | 'smsUrl' | 'smsMethod' | 'friendlyName' | 'purchased'>
>;

export function addNumber(state: EmulatorState, phoneNumber: string, opts: NumberSettings = {}): EmulatedNumber {
  const existing = state.numbers.get(phoneNumber);
  if (existing) {
    existing.whatsappSender ||= opts.whatsappSender ?? false;
    return existing;
  }
  const number: EmulatedNumber = {
    sid: newSid('PN'),
    phoneNumber,
    whatsappSender: opts.whatsappSender ?? false,
    smsUrl: opts.smsUrl,
    smsMethod: opts.smsMethod,
    friendlyName: opts.friendlyName ?? phoneNumber,
    purchased: opts.purchased,
    dateCreated: new Date(),
  };
  state.numbers.set(phoneNumber, number);
  return number;
}

function numberJson(accountSid: string, n: EmulatedNumber) {
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
export function numbersRouter(state: EmulatorState, accountSid: string): Router {
  const r = Router({ mergeParams: true });
  r.use(express.urlencoded({ extended: false }));
  const base = `/2010-04-01/Accounts/${accountSid}/IncomingPhoneNumbers.json`;

  r.get('/IncomingPhoneNumbers.json', (req, res) => {
    const filter = typeof req.query.PhoneNumber === 'string' ? req.query.PhoneNumber : undefined;
    const rows = [...state.numbers.values()].filter((n) => !filter || n.phoneNumber === filter);
    const numbers = rows.map((n) => numberJson(accountSid, n));
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
      whatsappSender: false,
      smsUrl: field('SmsUrl'),
      smsMethod: field('SmsMethod'),
      friendlyName: field('FriendlyName'),
      purchased: true,
    });
    res.status(201).json(numberJson(accountSid, n));
  });

  r.get('/IncomingPhoneNumbers/:sid.json', (req, res) => {
    const n = [...state.numbers.values()].find((x) => x.sid === req.params.sid);
    if (!n) return twilioError(res, 404, 20404, `The requested resource ${req.path} was not found`);
    res.json(numberJson(accountSid, n));
  });

  r.delete('/IncomingPhoneNumbers/:sid.json', (req, res) => {
    const n = [...state.numbers.values()].find((x) => x.sid === req.params.sid);
    if (!n) return twilioError(res, 404, 20404, `The requested resource ${req.path} was not found`);
    state.numbers.delete(n.phoneNumber);
    state.released.push(n.phoneNumber);
    res.status(204).end();
  });

  return r;
}
