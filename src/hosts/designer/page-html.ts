/**
 * The page's HTML shell and the headers every designer response carries. The shell holds no data:
 * the script fetches the definition, so nothing from a definition or a function's output is ever
 * written into HTML.
 */

/**
 * Scripts only from this server ('unsafe-eval' because Ajv, inside JSON Forms, compiles schemas with
 * `new Function`; no inline script, no other origin), styles only from here, requests only to here.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self' 'unsafe-eval'",
  "style-src 'self'",
  "connect-src 'self'",
  "img-src 'self' data:",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** Headers of every response (the token travels in the first URL: never send it on as a referrer). */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy': CONTENT_SECURITY_POLICY,
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
  'cache-control': 'no-store',
};

/** The HTML of the page. */
export const PAGE_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>lambda-stream designer</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/app.css">
<script defer src="/app.js"></script>
</head>
<body>
<div id="root"></div>
</body>
</html>
`;
