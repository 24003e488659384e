/**
 * Decodes a text file's bytes: a byte-order mark wins, then the `charset` of the content type, then
 * (for HTML) a `<meta charset>` in the first kilobyte, then UTF-8, and Windows-1252 for bytes that
 * are not valid UTF-8 (the usual encoding of legacy files that declare none).
 *
 * @example
 * decodeText(bytes, { contentType: 'text/plain; charset=iso-8859-1' });
 */
export function decodeText(bytes: Uint8Array, options: { contentType?: string; sniffHtml?: boolean } = {}): string {
  const bom = byteOrderMark(bytes);
  if (bom) return new TextDecoder(bom.encoding).decode(bytes.subarray(bom.length));
  const declared = charsetOf(options.contentType) ?? (options.sniffHtml ? sniffHtmlCharset(bytes) : undefined);
  if (declared) {
    try {
      return new TextDecoder(declared).decode(bytes);
    } catch {
      // an unknown label: fall through to detection
    }
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return new TextDecoder('windows-1252').decode(bytes);
  }
}

/** Whether the first bytes look like a binary file rather than text (a NUL byte). */
export function looksBinary(bytes: Uint8Array): boolean {
  if (byteOrderMark(bytes)?.encoding.startsWith('utf-16')) return false;
  return bytes.subarray(0, 8192).includes(0);
}

/** The MIME type without parameters, lower-cased (`text/html; charset=x` → `text/html`). */
export function mediaTypeOf(contentType: string | undefined): string | undefined {
  const type = contentType?.split(';')[0]?.trim().toLowerCase();
  return type || undefined;
}

function charsetOf(contentType: string | undefined): string | undefined {
  const match = /;\s*charset\s*=\s*"?([^";\s]+)/i.exec(contentType ?? '');
  return match?.[1]?.toLowerCase();
}

function byteOrderMark(bytes: Uint8Array): { encoding: string; length: number } | undefined {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return { encoding: 'utf-8', length: 3 };
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return { encoding: 'utf-16le', length: 2 };
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return { encoding: 'utf-16be', length: 2 };
  return undefined;
}

function sniffHtmlCharset(bytes: Uint8Array): string | undefined {
  const head = new TextDecoder('latin1').decode(bytes.subarray(0, 1024));
  const match = /<meta[^>]+charset\s*=\s*["']?\s*([\w-]+)/i.exec(head);
  return match?.[1]?.toLowerCase();
}
