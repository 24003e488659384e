import type { PiiEntityType } from '../../src/core/guardrails/index.js';

import { seededRandom } from '../../test/support/seeded-random.js';

/** A deterministic pseudo-random source (mulberry32), so every run generates the same documents. */
export { seededRandom };

type Random = () => number;
const pick = <T>(random: Random, items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
const digits = (random: Random, count: number) => Array.from({ length: count }, () => Math.floor(random() * 10)).join('');
const letters = (random: Random, count: number, alphabet = 'ABCDEFGHJKLMNPRSTUVWXYZ') => Array.from({ length: count }, () => pick(random, [...alphabet])).join('');

function luhnComplete(partial: string): string {
  for (let check = 0; check <= 9; check++) {
    const candidate = partial + check;
    let sum = 0;
    for (let index = 0; index < candidate.length; index++) {
      let digit = Number(candidate[candidate.length - 1 - index]);
      if (index % 2 === 1) {
        digit *= 2;
        if (digit > 9) digit -= 9;
      }
      sum += digit;
    }
    if (sum % 10 === 0) return candidate;
  }
  throw new Error('unreachable');
}

function ibanFor(country: string, bban: string): string {
  const numeric = [...`${bban}${country}00`].map((character) => (/[A-Z]/.test(character) ? String(character.charCodeAt(0) - 55) : character)).join('');
  let remainder = 0;
  for (const digit of numeric) remainder = (remainder * 10 + Number(digit)) % 97;
  const check = String(98 - remainder).padStart(2, '0');
  return `${country}${check}${bban}`.replace(/(.{4})/g, '$1 ').trim();
}

function abaNumber(random: Random): string {
  const body = digits(random, 8);
  const weights = [3, 7, 1, 3, 7, 1, 3, 7];
  const sum = weights.reduce((total, weight, index) => total + weight * Number(body[index]), 0);
  return body + String((10 - (sum % 10)) % 10);
}

function nhsNumber(random: Random): string {
  for (;;) {
    const body = digits(random, 9);
    let sum = 0;
    for (let index = 0; index < 9; index++) sum += Number(body[index]) * (10 - index);
    const check = 11 - (sum % 11);
    if (check === 10) continue;
    const full = body + String(check === 11 ? 0 : check);
    return `${full.slice(0, 3)} ${full.slice(3, 6)} ${full.slice(6)}`;
  }
}

function vin(random: Random): string {
  const values: Record<string, number> = { A: 1, B: 2, C: 3, D: 4, E: 5, F: 6, G: 7, H: 8, J: 1, K: 2, L: 3, M: 4, N: 5, P: 7, R: 9, S: 2, T: 3, U: 4, V: 5, W: 6, X: 7, Y: 8, Z: 9 };
  const weights = [8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2];
  const characters = [...`1${letters(random, 2)}${digits(random, 2)}${letters(random, 3)}0${letters(random, 2)}${digits(random, 6)}`];
  const sum = characters.reduce((total, character, index) => total + (/\d/.test(character) ? Number(character) : (values[character] ?? 0)) * weights[index]!, 0);
  characters[8] = sum % 11 === 10 ? 'X' : String(sum % 11);
  return characters.join('');
}

const firstNames = ['Maria', 'James', 'Aisha', 'Wei', 'Olivia', 'Mohammed', 'Sofia', 'Liam', 'Priya', 'Kwame', 'Elena', 'Hiroshi'];
const surnames = ['Garcia', 'Okafor', 'Chen', 'Novak', 'Patel', 'Schmidt', 'Rossi', 'Kowalski', 'Haddad', 'Nguyen', 'Johansson', 'Walsh'];
/** Given names and surnames that are not in the shipped name lists: found only through cues. */
const unlistedFirst = ['Xiomara', 'Bartholomew', 'Thandiwe', 'Eilidh', 'Radomir', 'Anouk', 'Tadhg', 'Oluwadamilare'];
const unlistedLast = ['Quintanilla', 'Okwuosa', 'Featherstonehaugh', 'Vasilakis', 'Drummond-Hay', 'Abernethy', 'Lindqvist', 'Zielinski'];
const streets = ['Maple', 'Oak', 'Cedar', 'Lincoln', 'Harbor', 'Sunset', 'Mill', 'Church', 'Baker', 'Highland'];
const suffixes = ['Street', 'Avenue', 'Road', 'Lane', 'Drive', 'Boulevard', 'Court', 'Way'];
const cities = ['Springfield, IL 62704', 'Portland, OR 97205', 'Austin, TX 78701', 'Denver, CO 80202', 'London SW1A 1AA', 'Boston, MA 02108'];
const filler = [
  'Thanks again for your help with the order last week.',
  'The meeting has moved to the second floor conference room.',
  'Please keep this information for your records.',
  'Let me know if anything else is needed before Friday.',
  'The package should arrive within five business days.',
  'We appreciate your patience while we update the system.',
];

/** One generated value and the sentence that carries it. */
type Generator = (random: Random) => { value: string; sentence: string };

const generators: Record<PiiEntityType, Generator> = {
  NAME: (random) => {
    if (random() < 0.6) {
      const value = `${pick(random, firstNames)} ${pick(random, surnames)}`;
      return { value, sentence: pick(random, [`I spoke with ${value} yesterday about the invoice.`, `${value} will join the call at noon.`, `Please forward this to ${value} in accounting.`]) };
    }
    const value = `${pick(random, unlistedFirst)} ${pick(random, unlistedLast)}`;
    return { value, sentence: pick(random, [`Hello, my name is ${value} and I need help.`, `Regards, ${value}`, `Dear ${value}, your order has shipped.`]) };
  },
  EMAIL: (random) => {
    const value = `${pick(random, firstNames).toLowerCase()}.${pick(random, surnames).toLowerCase()}${digits(random, 2)}@${pick(random, ['example.com', 'mail.example.org', 'corp.example.co.uk'])}`;
    return { value, sentence: `You can reach me at ${value} any time.` };
  },
  PHONE: (random) => {
    const value = pick(random, [`(${digits(random, 3).replace(/^[01]/, '5')}) ${digits(random, 3)}-${digits(random, 4)}`, `+44 20 ${digits(random, 4)} ${digits(random, 4)}`, `+1 415 ${digits(random, 3)} ${digits(random, 4)}`, `555-${digits(random, 3)}-${digits(random, 4)}`]);
    return { value, sentence: `Call me on ${value} after six.` };
  },
  ADDRESS: (random) => {
    const value = `${1 + Math.floor(random() * 9000)} ${pick(random, streets)} ${pick(random, suffixes)}, ${pick(random, cities)}`;
    return { value, sentence: `Ship the replacement to ${value} please.` };
  },
  AGE: (random) => {
    const age = 18 + Math.floor(random() * 70);
    const value = pick(random, [`${age} years old`, `${age}-year-old`]);
    return { value, sentence: value.endsWith('old') && value.includes('-') ? `The patient is a ${value} teacher.` : `My father is ${value} now.` };
  },
  AWS_ACCESS_KEY: (random) => {
    const value = `AKIA${letters(random, 16, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567')}`;
    return { value, sentence: `The access key ${value} was committed by mistake.` };
  },
  AWS_SECRET_KEY: (random) => {
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789/+';
    let value = '';
    while (!/[a-z]/.test(value) || !/[A-Z]/.test(value) || !/\d/.test(value)) value = Array.from({ length: 40 }, () => pick(random, [...alphabet])).join('');
    return { value, sentence: `aws_secret_access_key = ${value}` };
  },
  CA_HEALTH_NUMBER: (random) => {
    const value = `${digits(random, 4)}-${digits(random, 3)}-${digits(random, 3)}`;
    return { value, sentence: `My OHIP health card number is ${value}.` };
  },
  CA_SOCIAL_INSURANCE_NUMBER: (random) => {
    const raw = luhnComplete(`${1 + Math.floor(random() * 7)}${digits(random, 7)}`);
    const value = `${raw.slice(0, 3)} ${raw.slice(3, 6)} ${raw.slice(6)}`;
    return { value, sentence: `Her social insurance number is ${value}.` };
  },
  CREDIT_DEBIT_CARD_CVV: (random) => {
    const value = digits(random, 3);
    return { value, sentence: `The CVV is ${value} on the back.` };
  },
  CREDIT_DEBIT_CARD_EXPIRY: (random) => {
    const value = `${String(1 + Math.floor(random() * 12)).padStart(2, '0')}/${27 + Math.floor(random() * 5)}`;
    return { value, sentence: `The card expires ${value}, so renew it soon.` };
  },
  CREDIT_DEBIT_CARD_NUMBER: (random) => {
    const raw = luhnComplete(`${pick(random, ['4', '51', '55', '6011'])}${digits(random, 20)}`.slice(0, 15));
    const value = raw.replace(/(\d{4})(?=\d)/g, '$1 ');
    return { value, sentence: `Please charge ${value} for the deposit.` };
  },
  DRIVER_ID: (random) => {
    const value = `${letters(random, 1)}${digits(random, 7)}`;
    return { value, sentence: `My driver's license number is ${value}.` };
  },
  INTERNATIONAL_BANK_ACCOUNT_NUMBER: (random) => {
    const value = pick(random, [ibanFor('GB', `${letters(random, 4, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ')}${digits(random, 14)}`), ibanFor('DE', digits(random, 18)), ibanFor('NL', `${letters(random, 4, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ')}${digits(random, 10)}`)]);
    return { value, sentence: `Transfer the refund to IBAN ${value}.` };
  },
  IP_ADDRESS: (random) => {
    const value = random() < 0.8 ? Array.from({ length: 4 }, () => Math.floor(random() * 256)).join('.') : `2001:db8:${digits(random, 2)}::${digits(random, 3)}`;
    return { value, sentence: `The login came from ${value} last night.` };
  },
  LICENSE_PLATE: (random) => {
    const value = pick(random, [`${digits(random, 1)}${letters(random, 3)}${digits(random, 3)}`, `${letters(random, 2)}${digits(random, 2)} ${letters(random, 3)}`]);
    return { value, sentence: `The car with license plate ${value} was parked outside.` };
  },
  MAC_ADDRESS: (random) => {
    const value = Array.from({ length: 6 }, () => Math.floor(random() * 256).toString(16).padStart(2, '0').toUpperCase()).join(':');
    return { value, sentence: `Whitelist the device ${value} on the router.` };
  },
  PASSWORD: (random) => {
    const value = `${pick(random, ['Sunny', 'Tiger', 'Granite', 'Blue'])}${digits(random, 3)}!${letters(random, 2, 'abcdefghjkmnpqrstuvwxyz')}`;
    return { value, sentence: `My password is ${value} so please reset it.` };
  },
  PIN: (random) => {
    const value = digits(random, 4);
    return { value, sentence: `The PIN is ${value} for the front door.` };
  },
  SWIFT_CODE: (random) => {
    const value = `${letters(random, 4, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ')}${pick(random, ['GB', 'DE', 'FR', 'US'])}${letters(random, 2, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789')}`;
    return { value, sentence: `Use SWIFT code ${value} for international wires.` };
  },
  UK_NATIONAL_HEALTH_SERVICE_NUMBER: (random) => {
    const value = nhsNumber(random);
    return { value, sentence: `The patient's NHS number is ${value}.` };
  },
  UK_NATIONAL_INSURANCE_NUMBER: (random) => {
    const value = `${pick(random, ['AB', 'JG', 'CE', 'PR', 'TW'])} ${digits(random, 2)} ${digits(random, 2)} ${digits(random, 2)} ${pick(random, ['A', 'B', 'C', 'D'])}`;
    return { value, sentence: `My National Insurance number is ${value}.` };
  },
  UK_UNIQUE_TAXPAYER_REFERENCE_NUMBER: (random) => {
    const value = `${digits(random, 5)} ${digits(random, 5)}`;
    return { value, sentence: `My UTR for self assessment is ${value}.` };
  },
  URL: (random) => {
    const value = `https://${pick(random, ['example.com', 'docs.example.org', 'shop.example.net'])}/${pick(random, ['account', 'reset', 'orders'])}/${digits(random, 5)}`;
    return { value, sentence: `Open ${value} to continue.` };
  },
  USERNAME: (random) => {
    const value = `${pick(random, firstNames).toLowerCase()}_${digits(random, 3)}`;
    return { value, sentence: `My username is ${value} on the portal.` };
  },
  US_BANK_ACCOUNT_NUMBER: (random) => {
    const value = digits(random, 10 + Math.floor(random() * 4));
    return { value, sentence: `Deposit it into checking account number ${value}.` };
  },
  US_BANK_ROUTING_NUMBER: (random) => {
    const value = abaNumber(random);
    return { value, sentence: `The routing number is ${value}.` };
  },
  US_INDIVIDUAL_TAX_IDENTIFICATION_NUMBER: (random) => {
    const value = `9${digits(random, 2)}-${pick(random, ['70', '78', '88', '90', '94', '99'])}-${digits(random, 4)}`;
    return { value, sentence: `His ITIN is ${value}.` };
  },
  US_PASSPORT_NUMBER: (random) => {
    const value = `${1 + Math.floor(random() * 9)}${digits(random, 8)}`;
    return { value, sentence: `My passport number is ${value}.` };
  },
  US_SOCIAL_SECURITY_NUMBER: (random) => {
    const value = `${100 + Math.floor(random() * 500)}-${10 + Math.floor(random() * 89)}-${1000 + Math.floor(random() * 8999)}`;
    return { value, sentence: `My SSN is ${value}.` };
  },
  VEHICLE_IDENTIFICATION_NUMBER: (random) => {
    const value = vin(random);
    return { value, sentence: `The VIN on the title is ${value}.` };
  },
};

export interface PiiDocument {
  type: PiiEntityType;
  value: string;
  text: string;
}

/**
 * `count` documents per entity type: two or three everyday sentences with one sentence carrying a
 * generated value (valid checksums where the type has one).
 */
export function generatePiiDocuments(types: readonly PiiEntityType[], count: number, seed = 7): PiiDocument[] {
  const random = seededRandom(seed);
  const documents: PiiDocument[] = [];
  for (const type of types) {
    for (let index = 0; index < count; index++) {
      const { value, sentence } = generators[type](random);
      const parts = [pick(random, filler), sentence, pick(random, filler)];
      documents.push({ type, value, text: parts.join(' ') });
    }
  }
  return documents;
}
