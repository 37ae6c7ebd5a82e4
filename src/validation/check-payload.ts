import type { LoadedManifest } from '../definition/loaded-manifest.js';
import type { ValidationIssue } from '../errors.js';
import { isPlainObject } from './copy-input.js';

/** The payload's size on the wire, or an issue when it cannot be serialised. */
export function checkPayload(copy: unknown, manifest: LoadedManifest, issues: ValidationIssue[]): void {
  if (!isPlainObject(copy) || !isPlainObject(copy.body)) return;
  const { member, maxBytes, fileReferencePrefix } = manifest.body;
  const payload = copy.body[member];
  const path = `body.${member}`;
  let bytes: number;
  if (payload === undefined) return;
  if (typeof payload === 'string') {
    // A file reference is measured when the request builder reads the file.
    if (fileReferencePrefix !== undefined && payload.startsWith(fileReferencePrefix)) return;
    bytes = Buffer.byteLength(payload, 'utf8');
  } else if (payload instanceof Uint8Array) {
    bytes = payload.byteLength;
  } else {
    let text: string | undefined;
    try {
      text = JSON.stringify(payload);
    } catch {
      text = undefined;
    }
    if (text === undefined) {
      issues.push({
        location: 'body',
        path,
        keyword: 'type',
        message: `${path} must be a JSON value, a string or a ${fileReferencePrefix ?? 'file'} reference (it cannot be serialised as JSON)`,
      });
      return;
    }
    bytes = Buffer.byteLength(text, 'utf8');
  }
  if (bytes > maxBytes) {
    issues.push({
      location: 'body',
      path,
      keyword: 'maxBytes',
      message: `${path} is ${bytes.toLocaleString('en-US')} bytes once serialised; the service accepts at most ${maxBytes.toLocaleString('en-US')} bytes (6 MB)`,
    });
  }
}
