import { lookup as dnsLookup } from 'node:dns';
import type { LookupFunction } from 'node:net';
import type { AddressPolicy } from './address-policy.js';

/** A resolved address of a host name. */
export interface ResolvedAddress {
  address: string;
  family: number;
}

/** Resolves a host name to every address it has (the system resolver by default). */
export type ResolveHost = (hostname: string) => Promise<ResolvedAddress[]>;

const marker = Symbol.for('outcrop.refused-address');

/** The system resolver, every address of a name in the order the system gives them. */
export const systemResolveHost: ResolveHost = (hostname) =>
  new Promise((resolve, reject) => dnsLookup(hostname, { all: true, verbatim: true }, (error, addresses) => (error ? reject(error) : resolve(addresses))));

/**
 * A socket `lookup` that resolves a name and refuses the connection when any address it resolves to
 * is refused by the policy. Used as an undici `connect.lookup`, the check happens inside the
 * connection's own DNS lookup, so an answer cannot change between the check and the connect (no gap
 * for DNS rebinding). A refusal is an error that {@link refusedAddressCause} finds in a cause chain.
 *
 * @example
 * const agent = new Agent({ connect: { lookup: createGuardedLookup(createAddressPolicy()) } });
 */
export function createGuardedLookup(policy: AddressPolicy, resolveHost: ResolveHost = systemResolveHost): LookupFunction {
  return (hostname, lookupOptions, callback) => {
    resolveHost(hostname).then(
      (addresses) => {
        const refusals = addresses.map((entry) => policy.refusal(entry.address)).filter((reason) => reason !== undefined);
        if (addresses.length === 0) return callback(Object.assign(new Error(`${hostname} has no address`), { code: 'ENOTFOUND' }), '', 4);
        if (refusals.length > 0) return callback(Object.assign(new Error(`${hostname} resolves to ${refusals.join(', ')}`), { [marker]: true }), '', 4);
        const wanted = typeof lookupOptions === 'object' ? lookupOptions : {};
        const family = wanted.family === 'IPv4' ? 4 : wanted.family === 'IPv6' ? 6 : wanted.family;
        const matching = family ? addresses.filter((entry) => entry.family === family) : addresses;
        if (wanted.all) (callback as unknown as (error: null, all: ResolvedAddress[]) => void)(null, matching);
        else callback(null, matching[0]?.address ?? '', matching[0]?.family ?? 4);
      },
      (error: NodeJS.ErrnoException) => callback(error, '', 4),
    );
  };
}

/** The refusal raised by a guarded lookup somewhere in an error's cause chain, if any. */
export function refusedAddressCause(error: unknown): Error | undefined {
  for (let current = error; current; current = (current as { cause?: unknown }).cause) {
    if (typeof current === 'object' && (current as Record<symbol, unknown>)[marker]) return current as Error;
  }
  return undefined;
}
