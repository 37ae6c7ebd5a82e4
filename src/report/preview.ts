import type { Preview } from './test-report.js';

const fatal = new TextDecoder('utf-8', { fatal: true });

/** Control characters other than tab, newline and carriage return mark bytes as binary. */
function hasControlCharacters(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if ((c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) || c === 0x7f) return true;
  }
  return false;
}

/** Text when the start decodes as UTF-8 (a character cut by the cap is dropped), else null. */
function asText(bytes: Uint8Array): string | null {
  for (let trim = 0; trim <= 3 && trim < bytes.length + 1; trim++) {
    try {
      const text = fatal.decode(bytes.subarray(0, bytes.length - trim));
      return hasControlCharacters(text) ? null : text;
    } catch {
      // a multi-byte character cut by the cap: drop up to 3 trailing bytes and retry
    }
  }
  return null;
}

/**
 * The first `max` bytes of `bytes` (whose whole size is `total`, when more existed than were kept),
 * as text or hex.
 * @example
 * preview(new TextEncoder().encode('hello'), 3) // { bytes: 5, truncated: true, text: 'hel' }
 */
export function preview(bytes: Uint8Array, max: number, total: number = bytes.length): Preview {
  const shown = bytes.subarray(0, Math.min(bytes.length, max));
  const truncated = total > shown.length;
  const text = asText(shown);
  if (text !== null) return { bytes: total, truncated, text };
  return { bytes: total, truncated, hex: Buffer.from(shown).toString('hex') };
}
