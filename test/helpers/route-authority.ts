import type { Desk } from './fixtures';

/** The first organisation: a desk with one of each row a route can name, all of which the refused callers aim at. */
export interface FirstOrg extends Desk {
  numberId: string;
  conversationId: string;
  customerAddress: string;
  /** A customer's message with an attachment the operator could download. */
  messageId: string;
  /** Twilio's SID of the operator's reply, which status callbacks name. */
  replySid: string;
  apiKeyId: string;
  integrationKeyId: string;
  businessManagerId: string;
  /** The link request the product that linked the account may approve. */
  requestId: string;
  visitorSessionId: string;
  webhookEndpointId: string;
  /** An event of the organisation, for a replay. */
  eventId: string;
}

/** Everyone who may knock on a route; the fixture gives each its credential. */
export const PRINCIPALS = [
  'no key',
  'an unknown key',
  'the bootstrap token',
  'the provider secret',
  'the visitor token of the session',
  "another organisation's visitor token",
  'the integration key of the product that linked the account',
  "another product's integration key",
  "another organisation's integration key",
  "the organisation's admin",
  "another organisation's admin",
  // The fixture's operator: the one the presence route names, in the conversation's department.
  'the operator',
  'an operator of another department',
  "another organisation's Twilio signature",
] as const;
export type Principal = (typeof PRINCIPALS)[number];

/** Who may call a route: the table's second column. */
export type Who =
  | 'public'
  | 'bootstrap token'
  | 'provider secret'
  | 'metrics token'
  | 'Twilio signature'
  | 'visitor token of that session'
  | "any product's integration key"
  | 'integration key of the product that linked it'
  | 'admin'
  | 'admin or operator'
  | 'admin or operator of its department'
  | 'the operator themself or admin';

export interface Refusal {
  status: number;
  code: string;
}
/** A refusal, or (for a caller of another organisation on a route naming none of the first's rows) a 2xx about its own. */
export type Expected = Refusal | 'own data' | 'allowed';

/** The caller's own brand and department, for bodies where only the path should be someone else's. */
export interface CallerOrg {
  brandId: string;
  departmentId: string;
}

/** The first organisation's rows a path can name: the fixture's ids. */
export type RowId = { [K in keyof FirstOrg]: FirstOrg[K] extends string ? K : never }[keyof FirstOrg];

export interface Row {
  route: string;
  who: Who;
  /** Which of the first organisation's rows `:id` names. */
  id?: RowId;
  query?: (first: FirstOrg) => string;
  /** A plausible body (the form, for a webhook), so the credential is all that is wrong. */
  body?: (first: FirstOrg, caller: CallerOrg) => Record<string, unknown>;
  headers?: Record<string, string>;
  /** Another organisation's answer when not the default (404 where the path names one of the first's rows). */
  otherOrg?: Refusal;
  /** An event stream: read until its first heartbeat (everything replayable sent), then let go. */
  stream?: boolean;
}

export const refused = (status: number, code: string): Refusal => ({ status, code });
const UNAUTHENTICATED = refused(401, 'unauthenticated');
const API_KEYS: readonly Principal[] = [
  "the organisation's admin",
  "another organisation's admin",
  'the operator',
  'an operator of another department',
];
const INTEGRATION_KEYS: readonly Principal[] = [
  'the integration key of the product that linked the account',
  "another product's integration key",
  "another organisation's integration key",
];

/** What a principal gets from a route by the rules the README states: the table only says who may call it. */
export function expectedAnswer(row: Row, principal: Principal): Expected {
  const namesARow = row.route.includes('/:');
  const otherOrg = row.otherOrg ?? (namesARow ? refused(404, 'not_found') : 'own data');
  const only = (allowed: Principal) => (principal === allowed ? 'allowed' : UNAUTHENTICATED);
  switch (row.who) {
    case 'public':
      return 'allowed';
    case 'bootstrap token':
      return only('the bootstrap token');
    case 'provider secret':
      return only('the provider secret');
    // A scraper's: no principal of the matrix holds it.
    case 'metrics token':
      return UNAUTHENTICATED;
    case 'visitor token of that session':
      return only('the visitor token of the session');
    case 'Twilio signature':
      // A webhook without Twilio's signature is 403, as the README documents, whatever bearer comes with it.
      return principal === "another organisation's Twilio signature" ? otherOrg : refused(403, 'missing_signature');
    case "any product's integration key":
    case 'integration key of the product that linked it':
      if (API_KEYS.includes(principal)) return refused(403, 'integration_key_required');
      if (principal === "another organisation's integration key") return otherOrg;
      if (principal === "another product's integration key" && row.who !== "any product's integration key")
        return refused(403, 'forbidden');
      return INTEGRATION_KEYS.includes(principal) ? 'allowed' : UNAUTHENTICATED;
  }
  // Every other route takes an organisation's API key.
  if (!API_KEYS.includes(principal)) return UNAUTHENTICATED;
  if (principal === "the organisation's admin") return 'allowed';
  if (principal === "another organisation's admin") return otherOrg;
  if (row.who === 'admin') return refused(403, 'forbidden');
  if (principal === 'the operator' || row.who === 'admin or operator') return 'allowed';
  if (row.who === 'the operator themself or admin') return refused(403, 'forbidden');
  // An operator of another department sees the organisation, but not this department's conversations.
  return namesARow ? refused(404, 'not_found') : 'own data';
}
