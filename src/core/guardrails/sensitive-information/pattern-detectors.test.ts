import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { detectByPattern } from './pattern-detectors.js';
import { type PiiEntityType, piiEntityTypes } from './pii-entity-types.js';
import { piiRank, resolveOverlaps } from './resolve-overlaps.js';

function found(text: string, type: PiiEntityType): string[] {
  return resolveOverlaps(detectByPattern(text, new Set(piiEntityTypes)), piiRank)
    .filter((span) => span.type === type)
    .map((span) => span.text);
}

const positives: Array<[PiiEntityType, string, string]> = [
  ['EMAIL', 'Write to ana.lopez+news@mail.example.co.uk today.', 'ana.lopez+news@mail.example.co.uk'],
  ['URL', 'Docs are at https://example.com/guide?page=2.', 'https://example.com/guide?page=2'],
  ['URL', 'Visit www.example.org for more.', 'www.example.org'],
  ['IP_ADDRESS', 'The server at 192.168.10.254 is down.', '192.168.10.254'],
  ['IP_ADDRESS', 'Ping 2001:db8::8a2e:370:7334 now.', '2001:db8::8a2e:370:7334'],
  ['MAC_ADDRESS', 'Its MAC is 00:1A:2B:3C:4D:5E.', '00:1A:2B:3C:4D:5E'],
  ['AWS_ACCESS_KEY', 'key AKIAIOSFODNN7EXAMPLE in the config', 'AKIAIOSFODNN7EXAMPLE'],
  ['AWS_SECRET_KEY', 'aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY', 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY'],
  ['CREDIT_DEBIT_CARD_NUMBER', 'Charge 4111 1111 1111 1111 please.', '4111 1111 1111 1111'],
  ['CREDIT_DEBIT_CARD_NUMBER', 'Amex 3782-822463-10005 on file.', '3782-822463-10005'],
  ['CREDIT_DEBIT_CARD_EXPIRY', 'card expires 09/27 and', '09/27'],
  ['CREDIT_DEBIT_CARD_CVV', 'the CVV is 123.', '123'],
  ['INTERNATIONAL_BANK_ACCOUNT_NUMBER', 'IBAN: GB82 WEST 1234 5698 7654 32.', 'GB82 WEST 1234 5698 7654 32'],
  ['SWIFT_CODE', 'SWIFT code DEUTDEFF500 for the transfer', 'DEUTDEFF500'],
  ['US_SOCIAL_SECURITY_NUMBER', 'SSN 123-45-6789 on the form', '123-45-6789'],
  ['US_SOCIAL_SECURITY_NUMBER', 'my social security number is 123456789', '123456789'],
  ['US_INDIVIDUAL_TAX_IDENTIFICATION_NUMBER', 'ITIN 912-70-1234 was issued', '912-70-1234'],
  ['US_PASSPORT_NUMBER', 'passport number 340020013', '340020013'],
  ['US_BANK_ROUTING_NUMBER', 'routing number 021000021', '021000021'],
  ['US_BANK_ACCOUNT_NUMBER', 'checking account number 000123456789', '000123456789'],
  ['UK_NATIONAL_INSURANCE_NUMBER', 'NI number AB 12 34 56 C', 'AB 12 34 56 C'],
  ['UK_NATIONAL_HEALTH_SERVICE_NUMBER', 'NHS number 943 476 5919', '943 476 5919'],
  ['UK_UNIQUE_TAXPAYER_REFERENCE_NUMBER', 'my UTR is 12345 67890', '12345 67890'],
  ['CA_SOCIAL_INSURANCE_NUMBER', 'SIN 046 454 286', '046 454 286'],
  ['CA_HEALTH_NUMBER', 'OHIP health card 1234-567-890-AB', '1234-567-890-AB'],
  ['VEHICLE_IDENTIFICATION_NUMBER', 'VIN 1M8GDM9AXKP042788', '1M8GDM9AXKP042788'],
  ['LICENSE_PLATE', 'license plate 7ABC123 was seen', '7ABC123'],
  ['LICENSE_PLATE', 'a car registered AB12 CDE', 'AB12 CDE'],
  ['DRIVER_ID', "driver's license number D1234567", 'D1234567'],
  ['PIN', 'my PIN is 4821', '4821'],
  ['PASSWORD', 'password: hunter2!', 'hunter2!'],
  ['USERNAME', 'username is jdoe_42', 'jdoe_42'],
  ['USERNAME', 'follow @rock_hound on social', '@rock_hound'],
  ['AGE', 'she is 34 years old', '34 years old'],
  ['AGE', 'aged 71, he retired', '71'],
  ['PHONE', 'Call (555) 123-4567 or +44 20 7946 0958.', '(555) 123-4567'],
  ['PHONE', 'Call (555) 123-4567 or +44 20 7946 0958.', '+44 20 7946 0958'],
  ['ADDRESS', 'Ship to 1600 Pennsylvania Avenue NW, Washington, DC 20500 by Friday.', '1600 Pennsylvania Avenue NW, Washington, DC 20500'],
  ['ADDRESS', 'Send it to P.O. Box 123, Springfield', 'P.O. Box 123, Springfield'],
];

describe('pattern detectors', () => {
  for (const [type, text, expected] of positives) {
    it(`finds ${type} in "${text}"`, () => {
      assert.ok(found(text, type).includes(expected), `${type}: ${JSON.stringify(found(text, type))}`);
    });
  }

  it('covers every entity type Bedrock lists except NAME (recognized with wink-nlp)', () => {
    const covered = new Set(positives.map(([type]) => type));
    assert.deepEqual(
      piiEntityTypes.filter((type) => !covered.has(type)),
      ['NAME'],
    );
  });

  it('rejects card numbers that fail the Luhn check', () => {
    assert.deepEqual(found('Charge 4111 1111 1111 1112 please.', 'CREDIT_DEBIT_CARD_NUMBER'), []);
  });

  it('rejects IBANs with a wrong checksum', () => {
    assert.deepEqual(found('IBAN GB82 WEST 1234 5698 7654 33', 'INTERNATIONAL_BANK_ACCOUNT_NUMBER'), []);
  });

  it('needs a cue for numbers that are only digits', () => {
    assert.deepEqual(found('order 340020013 shipped', 'US_PASSPORT_NUMBER'), []);
    assert.deepEqual(found('order 021000021 shipped', 'US_BANK_ROUTING_NUMBER'), []);
    assert.deepEqual(found('we sold 123456789 units', 'US_SOCIAL_SECURITY_NUMBER'), []);
  });

  it('does not call times, versions or years sensitive', () => {
    const text = 'Meet at 10:30 on 2024-05-01, version 1.2.3, in 1999.';
    assert.deepEqual(resolveOverlaps(detectByPattern(text, new Set(piiEntityTypes)), piiRank), []);
  });

  it('prefers the checked type when spans overlap (a card is not a phone number)', () => {
    const spans = resolveOverlaps(detectByPattern('card 4111111111111111', new Set(piiEntityTypes)), piiRank);
    assert.deepEqual(
      spans.map((span) => span.type),
      ['CREDIT_DEBIT_CARD_NUMBER'],
    );
  });
});
