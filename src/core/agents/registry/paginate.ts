import { OutcropError } from '../../errors.js';

/**
 * One page of a list in a stable order: `nextToken` is the opaque offset of the next page, absent
 * on the last one.
 *
 * @example
 * const { items, nextToken } = paginate(allAgents, { maxResults: 10 });
 */
export function paginate<T>(all: readonly T[], request: { maxResults?: number | undefined; nextToken?: string | undefined }): { items: T[]; nextToken?: string } {
  let start = 0;
  if (request.nextToken !== undefined) {
    const decoded = Buffer.from(request.nextToken, 'base64url').toString('utf8');
    start = /^\d{1,9}$/.test(decoded) ? Number(decoded) : -1;
    if (start < 0) throw new OutcropError('ValidationException', `The nextToken ${request.nextToken} is not valid.`);
  }
  const size = request.maxResults ?? 100;
  if (!Number.isInteger(size) || size < 1) throw new OutcropError('ValidationException', `maxResults must be a positive integer; got ${size}.`);
  const items = all.slice(start, start + size);
  return start + size < all.length ? { items, nextToken: Buffer.from(String(start + size)).toString('base64url') } : { items };
}
