import { Router } from 'express';
import type { EmulatorState } from './emulator-state';
import { onePage, twilioError } from './twilio-wire';

type NumberType = 'Local' | 'TollFree' | 'Mobile';

interface Place {
  lata: string | null;
  locality: string | null;
  rate_center: string | null;
  latitude: string | null;
  longitude: string | null;
  region: string | null;
  postal_code: string | null;
}

const NOWHERE: Place = {
  lata: null,
  locality: null,
  rate_center: null,
  latitude: null,
  longitude: null,
  region: null,
  postal_code: null,
};
const SAN_FRANCISCO: Place = {
  lata: '722',
  locality: 'San Francisco',
  rate_center: 'SNFC',
  latitude: '37.775000',
  longitude: '-122.418000',
  region: 'CA',
  postal_code: '94103',
};
const LONDON: Place = {
  ...NOWHERE,
  locality: 'London',
  latitude: '51.507400',
  longitude: '-0.127800',
  region: 'London',
};

/** Twenty numbers per block, the same on every run, so tests and demos can name them. */
const BLOCKS: Record<string, Partial<Record<NumberType, { prefix: string; digits: number; place: Place }>>> = {
  US: {
    Local: { prefix: '+1628200', digits: 4, place: SAN_FRANCISCO },
    TollFree: { prefix: '+1833200', digits: 4, place: NOWHERE },
  },
  GB: {
    Local: { prefix: '+44203000', digits: 4, place: LONDON },
    Mobile: { prefix: '+447700900', digits: 3, place: NOWHERE },
    TollFree: { prefix: '+44800000', digits: 4, place: NOWHERE },
  },
};
const BLOCK_SIZE = 20;
const TYPES = new Set<string>(['Local', 'TollFree', 'Mobile']);

function blockNumbers(country: string, type: NumberType): string[] {
  const block = BLOCKS[country]?.[type];
  if (!block) return [];
  return Array.from({ length: BLOCK_SIZE }, (_, i) => block.prefix + String(i).padStart(block.digits, '0'));
}

/** For sale: in the inventory, not on this account, not bought by someone else. */
export function isAvailable(state: EmulatorState, phoneNumber: string): boolean {
  const inInventory = Object.entries(BLOCKS).some(([country, types]) =>
    Object.keys(types).some((type) => blockNumbers(country, type as NumberType).includes(phoneNumber)),
  );
  return inInventory && !state.numbers.has(phoneNumber) && !state.taken.has(phoneNumber);
}

/** Twilio's Contains: digits, with `*` standing for any one digit, anywhere in the number. */
function containsPattern(contains: unknown): RegExp | undefined {
  if (typeof contains !== 'string') return undefined;
  const digits = contains.replace(/[^\d*]/g, '');
  return digits ? new RegExp(digits.replace(/\*/g, '\\d')) : undefined;
}

const friendlyName = (phoneNumber: string) => phoneNumber.replace(/^\+1(\d{3})(\d{3})(\d{4})$/, '($1) $2-$3');

/** Numbers for sale (AvailablePhoneNumbers), from the emulator's deterministic inventory. */
export function availableRouter(state: EmulatorState): Router {
  const r = Router({ mergeParams: true });
  r.get('/AvailablePhoneNumbers/:country/:type.json', (req, res) => {
    const { type } = req.params;
    if (!TYPES.has(type)) return twilioError(res, 404, 20404, `The requested resource ${req.path} was not found`);
    const country = req.params.country.toUpperCase();
    const pattern = containsPattern(req.query.Contains);
    const requested = Number(req.query.PageSize);
    const pageSize = Number.isInteger(requested) && requested > 0 ? Math.min(requested, 1000) : 50;
    const place = BLOCKS[country]?.[type as NumberType]?.place ?? NOWHERE;
    const rows = blockNumbers(country, type as NumberType)
      .filter((n) => isAvailable(state, n) && (!pattern || pattern.test(n)))
      .slice(0, pageSize);
    const numbers = rows.map((n) => ({
      friendly_name: friendlyName(n),
      phone_number: n,
      ...place,
      iso_country: country,
      address_requirements: 'none',
      beta: false,
      capabilities: { voice: true, SMS: true, MMS: true },
    }));
    res.json(onePage('available_phone_numbers', numbers, req.originalUrl, pageSize));
  });
  return r;
}
