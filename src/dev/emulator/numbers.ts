import express, { Router } from 'express';
import type { EmulatedNumber, EmulatorState } from './state';
import { newSid, rfc2822, twilioError } from './wire';

export function addNumber(state: EmulatorState, phoneNumber: string, opts: { whatsappSender?: boolean } = {}): EmulatedNumber {
  const existing = state.numbers.get(phoneNumber);
  if (existing) {
    existing.whatsappSender ||= opts.whatsappSender ?? false;
    return existing;
  }
  const number: EmulatedNumber = {
    sid: newSid('PN'),
    phoneNumber,
    whatsappSender: opts.whatsappSender ?? false,
    friendlyName: phoneNumber,
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
    sms_method: 'POST',
    capabilities: { sms: true, mms: true, voice: true, fax: false },
    status: 'in-use',
    api_version: '2010-04-01',
    date_created: rfc2822(n.dateCreated),
    date_updated: rfc2822(n.dateCreated),
    uri: `/2010-04-01/Accounts/${accountSid}/IncomingPhoneNumbers/${n.sid}.json`,
  };
}

/** The account's numbers (IncomingPhoneNumbers), in Twilio's paged list envelope. */
export function numbersRouter(state: EmulatorState, accountSid: string): Router {
  const r = Router({ mergeParams: true });
  r.use(express.urlencoded({ extended: false }));
  const base = `/2010-04-01/Accounts/${accountSid}/IncomingPhoneNumbers.json`;

  r.get('/IncomingPhoneNumbers.json', (req, res) => {
    const filter = typeof req.query.PhoneNumber === 'string' ? req.query.PhoneNumber : undefined;
    const rows = [...state.numbers.values()].filter((n) => !filter || n.phoneNumber === filter);
    res.json({
      incoming_phone_numbers: rows.map((n) => numberJson(accountSid, n)),
      first_page_uri: `${base}?PageSize=50&Page=0`,
      next_page_uri: null,
      previous_page_uri: null,
      page: 0,
      page_size: 50,
      start: 0,
      end: Math.max(0, rows.length - 1),
      uri: `${base}?PageSize=50&Page=0`,
    });
  });

  r.get('/IncomingPhoneNumbers/:sid.json', (req, res) => {
    const n = [...state.numbers.values()].find((x) => x.sid === req.params.sid);
    if (!n) return twilioError(res, 404, 20404, `The requested resource ${req.path} was not found`);
    res.json(numberJson(accountSid, n));
  });

  return r;
}
