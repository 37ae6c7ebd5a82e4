/**
 * Extra checks on the admin endpoints that sign calls with the config node's credentials, on top of
 * Node-RED's own `RED.auth.needsPermission`: a browser page from another origin must not be able to
 * make the editor's Node-RED sign a call (a cross-site POST carries an `Origin` that is not this
 * host's). Without `adminAuth` there is no token to steal, so the `Host` must also be a loopback name
 * or address, which defeats DNS rebinding (an attacker's name pointed at 127.0.0.1).
 */

const LOOPBACK = /^(localhost|127(?:\.\d{1,3}){3}|\[::1\])(?::\d+)?$/i;

/**
 * Why the request is refused, or `undefined` when it may go on.
 * @example
 * refusal(req, { adminAuth: undefined }) // 'foreign Origin http://evil.example'
 */
function refusal(req, settings) {
  const host = req.headers.host ?? '';
  const origin = req.headers.origin;
  if (origin !== undefined && origin !== 'null') {
    let originHost;
    try {
      originHost = new URL(origin).host;
    } catch {
      return `malformed Origin ${origin}`;
    }
    if (originHost.toLowerCase() !== host.toLowerCase()) return `foreign Origin ${origin}`;
  } else if (origin === 'null') {
    return 'opaque Origin';
  }
  if (settings.adminAuth === undefined && !LOOPBACK.test(host)) return `Host ${host} is not a loopback name`;
  return undefined;
}

/**
 * Express middleware refusing with 403 what {@link refusal} names.
 * @example
 * RED.httpAdmin.post('/lambda-stream/test', RED.auth.needsPermission('lambda-stream.write'), guard(RED.settings), handler)
 */
function guard(settings) {
  return (req, res, next) => {
    const why = refusal(req, settings);
    if (why === undefined) next();
    else res.status(403).json({ error: `refused: ${why}` });
  };
}

module.exports = { guard, refusal };
