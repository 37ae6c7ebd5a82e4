/** Distinct endpoints a process talks to are few; past this many the cache starts over. */
const MAX_ENTRIES = 64;

const parsed = new Map<string, URL>();

/**
 * `new URL(text)`, parsed once per distinct text. Every call resolves the same endpoint string and
 * its origin, and the two parses cost more of a small call than anything else in building the
 * request. The URL returned is shared between calls: callers only read it (nothing in the executor
 * sets a URL property), and must copy it (`new URL(url)`) before changing it.
 * @throws TypeError (as `new URL`) when the text is not a URL; failures are not cached.
 * @example
 * cachedUrl('http://127.0.0.1:9000').host // '127.0.0.1:9000'
 */
export function cachedUrl(text: string): URL {
  let url = parsed.get(text);
  if (url === undefined) {
    url = new URL(text);
    if (parsed.size >= MAX_ENTRIES) parsed.clear();
    parsed.set(text, url);
  }
  return url;
}
