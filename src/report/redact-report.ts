import { redact } from '../redact.js';
import type { Preview, TestReport } from './test-report.js';

/**
 * A preview with known secret values masked, and marked (`redacted: true`) when that changed it.
 * @example
 * redactPreview(preview(bytes, 256))
 */
export function redactPreview(preview: Preview): Preview {
  if (preview.text === undefined) return preview;
  const text = redact(preview.text);
  return text === preview.text ? preview : { ...preview, text, redacted: true };
}

/**
 * The report as it may leave the process. What the task writes (the summary, issues, the request,
 * headers, errors, the log tail) passes through `redact()`; a preview of the function's bytes is
 * masked too, but says so (`redacted: true`), because there a masked value changes what the reader
 * believes the function returned (`"this is a test"` with the secret `test`).
 * @example
 * return redactReport(report)
 */
export function redactReport(report: TestReport): TestReport {
  const { request, response, output, ...rest } = report;
  const out: TestReport = redact(rest);
  if (request !== undefined) {
    // The curl command is redacted where it is built (it keeps its credential placeholders).
    out.request = { ...redact(request), curl: request.curl, body: redactPreview(request.body) };
  }
  if (response !== undefined) {
    out.response = {
      ...redact({ ...response, events: [] }),
      events: response.events.map((event) => ({
        ...redact({ ...event, preview: { bytes: 0, truncated: false } }),
        preview: redactPreview(event.preview),
      })),
    };
  }
  if (output !== undefined) out.output = { ...redact(output), preview: redactPreview(output.preview) };
  return out;
}
