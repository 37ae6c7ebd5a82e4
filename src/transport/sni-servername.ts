import { isIP } from 'node:net';

/**
 * The TLS SNI name for a host: none for an IP address (RFC 6066 allows host names only, and Node
 * warns with DEP0123 when given one); the empty string tells Node to send no SNI.
 * @example
 * sniServername('[::1]') // ''
 */
export function sniServername(hostname: string): string {
  const host = hostname.replace(/^\[|\]$/g, '');
  return isIP(host) === 0 ? host : '';
}
