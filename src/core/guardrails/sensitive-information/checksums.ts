/** Digits of a string, separators dropped. */
export function digitsOf(value: string): string {
  return value.replace(/\D/g, '');
}

/**
 * The Luhn (mod 10) check used by payment cards and Canadian SINs.
 *
 * @example
 * luhnValid('4111 1111 1111 1111') // true
 */
export function luhnValid(value: string): boolean {
  const digits = digitsOf(value);
  if (digits.length < 2) return false;
  let sum = 0;
  for (let index = 0; index < digits.length; index++) {
    let digit = Number(digits[digits.length - 1 - index]);
    if (index % 2 === 1) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
  }
  return sum % 10 === 0;
}

/** IBAN lengths by country (ISO 13616 registry), for the countries that issue them. */
const ibanLengths: Record<string, number> = {
  AD: 24, AE: 23, AL: 28, AT: 20, AZ: 28, BA: 20, BE: 16, BG: 22, BH: 22, BR: 29, BY: 28, CH: 21, CR: 22, CY: 28, CZ: 24,
  DE: 22, DK: 18, DO: 28, EE: 20, EG: 29, ES: 24, FI: 18, FO: 18, FR: 27, GB: 22, GE: 22, GI: 23, GL: 18, GR: 27, GT: 28,
  HR: 21, HU: 28, IE: 22, IL: 23, IQ: 23, IS: 26, IT: 27, JO: 30, KW: 30, KZ: 20, LB: 28, LC: 32, LI: 21, LT: 20, LU: 20,
  LV: 21, MC: 27, MD: 24, ME: 22, MK: 19, MR: 27, MT: 31, MU: 30, NL: 18, NO: 15, PK: 24, PL: 28, PS: 29, PT: 25, QA: 29,
  RO: 24, RS: 22, SA: 24, SC: 31, SE: 24, SI: 19, SK: 24, SM: 27, ST: 25, SV: 28, TL: 23, TN: 24, TR: 26, UA: 29, VA: 22,
  VG: 24, XK: 20,
};

/**
 * An IBAN's length for its country and its ISO 7064 mod-97 checksum.
 *
 * @example
 * ibanValid('GB82 WEST 1234 5698 7654 32') // true
 */
export function ibanValid(value: string): boolean {
  const compact = value.replace(/[\s-]/g, '').toUpperCase();
  if (!/^[A-Z]{2}\d{2}[A-Z0-9]+$/.test(compact)) return false;
  if (ibanLengths[compact.slice(0, 2)] !== compact.length) return false;
  const rearranged = compact.slice(4) + compact.slice(0, 4);
  let remainder = 0;
  for (const character of rearranged) {
    const code = character.charCodeAt(0);
    const digits = code >= 65 ? String(code - 55) : character;
    for (const digit of digits) remainder = (remainder * 10 + Number(digit)) % 97;
  }
  return remainder === 1;
}

/** ABA routing numbers: weights 3, 7, 1 over the nine digits sum to a multiple of 10. */
export function abaRoutingValid(value: string): boolean {
  const digits = digitsOf(value);
  if (digits.length !== 9) return false;
  const weights = [3, 7, 1, 3, 7, 1, 3, 7, 1];
  const sum = weights.reduce((total, weight, index) => total + weight * Number(digits[index]), 0);
  return sum % 10 === 0 && sum > 0;
}

/** NHS numbers: ten digits whose last is the mod-11 check digit of the first nine. */
export function nhsNumberValid(value: string): boolean {
  const digits = digitsOf(value);
  if (digits.length !== 10) return false;
  let sum = 0;
  for (let index = 0; index < 9; index++) sum += Number(digits[index]) * (10 - index);
  const check = 11 - (sum % 11);
  const expected = check === 11 ? 0 : check;
  return expected !== 10 && expected === Number(digits[9]);
}

/** US SSNs exclude area 000, 666 and 900–999, group 00 and serial 0000. */
export function ssnValid(value: string): boolean {
  const digits = digitsOf(value);
  if (digits.length !== 9) return false;
  const area = Number(digits.slice(0, 3));
  return area !== 0 && area !== 666 && area < 900 && digits.slice(3, 5) !== '00' && digits.slice(5) !== '0000';
}

/** ITINs start with 9 and have a middle group of 50–65, 70–88, 90–92 or 94–99. */
export function itinValid(value: string): boolean {
  const digits = digitsOf(value);
  if (digits.length !== 9 || digits[0] !== '9') return false;
  const group = Number(digits.slice(3, 5));
  return (group >= 50 && group <= 65) || (group >= 70 && group <= 88) || (group >= 90 && group <= 92) || (group >= 94 && group <= 99);
}

const vinValues: Record<string, number> = {
  A: 1, B: 2, C: 3, D: 4, E: 5, F: 6, G: 7, H: 8, J: 1, K: 2, L: 3, M: 4, N: 5, P: 7, R: 9, S: 2, T: 3, U: 4, V: 5, W: 6, X: 7, Y: 8, Z: 9,
};

/** North American VINs: the ninth character is the weighted mod-11 check digit (X for 10). */
export function vinCheckDigitValid(value: string): boolean {
  const vin = value.toUpperCase();
  if (!/^[A-HJ-NPR-Z0-9]{17}$/.test(vin)) return false;
  const weights = [8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2];
  let sum = 0;
  for (let index = 0; index < 17; index++) {
    const character = vin[index]!;
    const numeric = /\d/.test(character) ? Number(character) : (vinValues[character] ?? 0);
    sum += numeric * weights[index]!;
  }
  const check = sum % 11;
  return vin[8] === (check === 10 ? 'X' : String(check));
}

/** Payment card prefixes (IIN ranges) of the major networks, with their lengths. */
export function cardNetworkKnown(value: string): boolean {
  const digits = digitsOf(value);
  const length = digits.length;
  const prefix2 = Number(digits.slice(0, 2));
  const prefix4 = Number(digits.slice(0, 4));
  if (digits[0] === '4') return length === 13 || length === 16 || length === 19; // Visa
  if ((prefix2 >= 51 && prefix2 <= 55) || (prefix4 >= 2221 && prefix4 <= 2720)) return length === 16; // Mastercard
  if (prefix2 === 34 || prefix2 === 37) return length === 15; // American Express
  if (digits.startsWith('6011') || prefix2 === 65 || (Number(digits.slice(0, 3)) >= 644 && Number(digits.slice(0, 3)) <= 649)) return length >= 16 && length <= 19; // Discover
  if (prefix4 >= 3528 && prefix4 <= 3589) return length >= 16 && length <= 19; // JCB
  if (prefix2 === 36 || prefix2 === 38 || (Number(digits.slice(0, 3)) >= 300 && Number(digits.slice(0, 3)) <= 305)) return length >= 14 && length <= 19; // Diners
  if (prefix2 === 62) return length >= 16 && length <= 19; // UnionPay
  if (/^(50|5[6-9]|6[0-9])/.test(digits)) return length >= 12 && length <= 19; // Maestro
  return false;
}
