import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { abaRoutingValid, cardNetworkKnown, ibanValid, itinValid, luhnValid, nhsNumberValid, ssnValid, vinCheckDigitValid } from './checksums.js';

describe('checksums', () => {
  it('Luhn accepts real test card numbers and rejects a changed digit', () => {
    for (const number of ['4111 1111 1111 1111', '5555-5555-5555-4444', '378282246310005', '6011111111111117', '046 454 286']) assert.ok(luhnValid(number), number);
    for (const number of ['4111 1111 1111 1112', '5555555555554445', '1234567890123456']) assert.ok(!luhnValid(number), number);
  });

  it('knows the card networks by prefix and length', () => {
    assert.ok(cardNetworkKnown('4111111111111111'));
    assert.ok(cardNetworkKnown('2221000000000009'));
    assert.ok(cardNetworkKnown('378282246310005'));
    assert.ok(!cardNetworkKnown('9111111111111111'));
    assert.ok(!cardNetworkKnown('41111111111111'));
  });

  it('IBAN: mod 97 and the country length', () => {
    for (const iban of ['GB82 WEST 1234 5698 7654 32', 'DE89370400440532013000', 'FR1420041010050500013M02606', 'NL91ABNA0417164300']) assert.ok(ibanValid(iban), iban);
    assert.ok(!ibanValid('GB82 WEST 1234 5698 7654 33'), 'checksum');
    assert.ok(!ibanValid('DE8937040044053201300'), 'length');
    assert.ok(!ibanValid('XX82WEST12345698765432'), 'country');
  });

  it('ABA routing numbers (3-7-1 weights)', () => {
    assert.ok(abaRoutingValid('021000021'));
    assert.ok(abaRoutingValid('011000015'));
    assert.ok(!abaRoutingValid('021000022'));
  });

  it('NHS numbers (mod 11)', () => {
    assert.ok(nhsNumberValid('943 476 5919'));
    assert.ok(!nhsNumberValid('943 476 5918'));
  });

  it('SSN and ITIN ranges', () => {
    assert.ok(ssnValid('123-45-6789'));
    for (const invalid of ['000-12-3456', '666-12-3456', '912-34-5678', '123-00-4567', '123-45-0000']) assert.ok(!ssnValid(invalid), invalid);
    assert.ok(itinValid('912-70-1234'));
    assert.ok(!itinValid('912-40-1234'));
  });

  it('VIN check digit', () => {
    assert.ok(vinCheckDigitValid('1M8GDM9AXKP042788'));
    assert.ok(vinCheckDigitValid('11111111111111111'));
    assert.ok(!vinCheckDigitValid('1M8GDM9A1KP042788'));
  });
});
