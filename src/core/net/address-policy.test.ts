import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createAddressPolicy } from './address-policy.js';

describe('address policy', () => {
  const policy = createAddressPolicy();

  it('refuses loopback, private, link-local and other special-purpose addresses by default', () => {
    for (const [address, reason] of [
      ['127.0.0.1', 'a loopback address'],
      ['127.8.9.10', 'a loopback address'],
      ['10.1.2.3', 'a private address'],
      ['172.31.255.255', 'a private address'],
      ['192.168.1.1', 'a private address'],
      ['169.254.169.254', 'a link-local address'],
      ['100.64.0.1', 'a shared (carrier-grade NAT) address'],
      ['0.0.0.0', 'a "this network" address'],
      ['224.0.0.1', 'a multicast address'],
      ['::1', 'a loopback address'],
      ['::', 'the unspecified address'],
      ['fe80::1', 'a link-local address'],
      ['fd12:3456::1', 'a unique local (private) address'],
    ]) {
      assert.equal(policy.refusal(address!), `${address} is ${reason}`);
    }
  });

  it('sees IPv4 addresses carried inside IPv6', () => {
    assert.match(policy.refusal('::ffff:127.0.0.1') ?? '', /^::ffff:127\.0\.0\.1 is a loopback address/);
    assert.match(policy.refusal('::ffff:a9fe:a9fe') ?? '', /^::ffff:a9fe:a9fe is a link-local address/);
    assert.equal(policy.refusal('::127.0.0.1'), '::127.0.0.1 is a loopback address (127.0.0.1)');
    assert.equal(policy.refusal('64:ff9b::10.0.0.1'), '64:ff9b::10.0.0.1 is a private address (10.0.0.1)');
    assert.equal(policy.refusal('2002:c0a8:0101::1'), '2002:c0a8:0101::1 is a private address (192.168.1.1)');
  });

  it('allows public addresses', () => {
    for (const address of ['93.184.216.34', '8.8.8.8', '172.32.0.1', '2606:4700::1111', '::ffff:8.8.8.8', '2002:0808:0808::1']) {
      assert.equal(policy.refusal(address), undefined, address);
    }
    assert.equal(policy.refusal('example.com'), 'example.com is not an IP address');
  });

  it('lets the operator allow every private network, or chosen ranges', () => {
    assert.equal(createAddressPolicy({ allowPrivateNetworks: true }).refusal('127.0.0.1'), undefined);
    const intranet = createAddressPolicy({ allowedCidrs: ['10.20.0.0/16', 'fd00:1::/32'] });
    assert.equal(intranet.refusal('10.20.3.4'), undefined);
    assert.equal(intranet.refusal('::ffff:10.20.3.4'), undefined);
    assert.equal(intranet.refusal('fd00:1::5'), undefined);
    assert.equal(intranet.refusal('10.21.0.1'), '10.21.0.1 is a private address');
    assert.throws(() => createAddressPolicy({ allowedCidrs: ['10.0.0.0'] }), /not a CIDR range/);
  });
});
