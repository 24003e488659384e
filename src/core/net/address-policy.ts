import { BlockList, isIP } from 'node:net';

/** Which addresses outbound connections (the web crawler, agent executors) may reach. */
export interface AddressPolicy {
  /** undefined when the address may be reached, else why not (`127.0.0.1 is a loopback address`) */
  refusal(address: string): string | undefined;
}

export interface AddressPolicyOptions {
  /** allow loopback, private, link-local and other special-purpose addresses (an operator's choice) */
  allowPrivateNetworks?: boolean;
  /** CIDR ranges allowed even so (`10.20.0.0/16`, `fd00::/8`), e.g. an intranet the crawler should reach */
  allowedCidrs?: readonly string[];
}

/** Special-purpose ranges (RFC 6890 and successors) a crawler must not reach by default. */
const refusedRanges: [network: string, prefix: number, family: 'ipv4' | 'ipv6', kind: string][] = [
  ['0.0.0.0', 8, 'ipv4', 'a "this network" address'],
  ['10.0.0.0', 8, 'ipv4', 'a private address'],
  ['100.64.0.0', 10, 'ipv4', 'a shared (carrier-grade NAT) address'],
  ['127.0.0.0', 8, 'ipv4', 'a loopback address'],
  ['169.254.0.0', 16, 'ipv4', 'a link-local address'],
  ['172.16.0.0', 12, 'ipv4', 'a private address'],
  ['192.0.0.0', 24, 'ipv4', 'a special-purpose address'],
  ['192.0.2.0', 24, 'ipv4', 'a documentation address'],
  ['192.88.99.0', 24, 'ipv4', 'a relay address'],
  ['192.168.0.0', 16, 'ipv4', 'a private address'],
  ['198.18.0.0', 15, 'ipv4', 'a benchmarking address'],
  ['198.51.100.0', 24, 'ipv4', 'a documentation address'],
  ['203.0.113.0', 24, 'ipv4', 'a documentation address'],
  ['224.0.0.0', 4, 'ipv4', 'a multicast address'],
  ['240.0.0.0', 4, 'ipv4', 'a reserved address'],
  ['::', 128, 'ipv6', 'the unspecified address'],
  ['::1', 128, 'ipv6', 'a loopback address'],
  ['100::', 64, 'ipv6', 'a discard-only address'],
  ['2001:db8::', 32, 'ipv6', 'a documentation address'],
  ['fc00::', 7, 'ipv6', 'a unique local (private) address'],
  ['fe80::', 10, 'ipv6', 'a link-local address'],
  ['fec0::', 10, 'ipv6', 'a site-local address'],
  ['ff00::', 8, 'ipv6', 'a multicast address'],
];

/**
 * Decides whether the crawler may connect to an address. By default every special-purpose range is
 * refused (loopback, RFC 1918 private, link-local and cloud metadata, CGNAT, unique local,
 * multicast, documentation), including IPv4 addresses carried in IPv6 (mapped `::ffff:a.b.c.d`,
 * NAT64 `64:ff9b::/96`, 6to4 `2002::/16`). `allowPrivateNetworks` lifts the refusal;
 * `allowedCidrs` lifts it for chosen ranges only.
 *
 * @example
 * createAddressPolicy().refusal('169.254.169.254') // '169.254.169.254 is a link-local address'
 */
export function createAddressPolicy(options: AddressPolicyOptions = {}): AddressPolicy {
  const allowed = new BlockList();
  for (const cidr of options.allowedCidrs ?? []) {
    const [network = '', prefix] = cidr.split('/');
    const family = isIP(network);
    if (!family || prefix === undefined || !/^\d+$/.test(prefix)) throw new TypeError(`${cidr} is not a CIDR range`);
    allowed.addSubnet(network, Number(prefix), family === 4 ? 'ipv4' : 'ipv6');
  }
  const ranges = refusedRanges.map(([network, prefix, family, kind]) => {
    const list = new BlockList();
    list.addSubnet(network, prefix, family);
    return { list, family, kind };
  });

  return {
    refusal(address) {
      const family = isIP(address);
      if (!family) return `${address} is not an IP address`;
      const type = family === 4 ? 'ipv4' : 'ipv6';
      if (options.allowPrivateNetworks || allowed.check(address, type)) return undefined;
      const embedded = family === 6 ? embeddedIPv4(address) : undefined;
      if (embedded && allowed.check(embedded, 'ipv4')) return undefined;
      for (const range of ranges) {
        if (range.family === type && range.list.check(address, type)) return `${address} is ${range.kind}`;
      }
      for (const range of embedded ? ranges : []) {
        if (range.family === 'ipv4' && range.list.check(embedded!, 'ipv4')) return `${address} is ${range.kind} (${embedded})`;
      }
      return undefined;
    },
  };
}

/** The IPv4 address inside an IPv4-mapped, NAT64 or 6to4 IPv6 address. */
function embeddedIPv4(address: string): string | undefined {
  const words = expandIPv6(address);
  if (!words) return undefined;
  const v4 = (high: number, low: number) => `${high >> 8}.${high & 0xff}.${low >> 8}.${low & 0xff}`;
  const zero = (from: number, to: number) => words.slice(from, to).every((word) => word === 0);
  if (zero(0, 5) && (words[5] === 0xffff || words[5] === 0)) return v4(words[6]!, words[7]!);
  if (words[0] === 0x64 && words[1] === 0xff9b && zero(2, 6)) return v4(words[6]!, words[7]!);
  if (words[0] === 0x2002) return v4(words[1]!, words[2]!);
  return undefined;
}

/** The eight 16-bit words of an IPv6 address (`::` expanded, a trailing dotted IPv4 read). */
function expandIPv6(address: string): number[] | undefined {
  let text = address.split('%')[0] ?? '';
  const dotted = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (dotted) {
    const [a, b, c, d] = dotted.slice(1).map(Number) as [number, number, number, number];
    text = `${text.slice(0, dotted.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head = '', tail] = text.split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const missing = 8 - left.length - right.length;
  if (tail === undefined ? left.length !== 8 : missing < 1) return undefined;
  return [...left, ...Array<string>(tail === undefined ? 0 : missing).fill('0'), ...right].map((word) => Number.parseInt(word, 16));
}
