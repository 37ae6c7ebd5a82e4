/**
 * `HttpResponseStream.from`, as in Lambda's Node runtime: declares the HTTP-integration content
 * type and writes `JSON prelude + 8 NUL bytes` before the first body byte (wire-format §5).
 */

/** The status, headers and cookies a function URL (or API integration) should answer with. */
export interface HttpResponsePrelude {
  statusCode?: number;
  headers?: Record<string, string>;
  cookies?: string[];
}

/** What `from` needs of the stream: the response stream's content type and first-write hook. */
interface PreludeCapableStream {
  setContentType(contentType: string): void;
  _onBeforeFirstWrite?: ((write: (chunk: string | Uint8Array) => void) => void) | undefined;
}

/** The content type Lambda's runtime declares for a response that carries an HTTP prelude. */
export const HTTP_INTEGRATION_CONTENT_TYPE = 'application/vnd.awslambda.http-integration-response';
const DELIMITER = new Uint8Array(8);

/**
 * Attaches an HTTP response prelude to a response stream.
 * @example
 * export const handler = awslambda.streamifyResponse(async (event, responseStream) => {
 *   const out = awslambda.HttpResponseStream.from(responseStream, { statusCode: 201, headers: { 'x-a': '1' } });
 *   out.end('created');
 * });
 */
export const HttpResponseStream = {
  from<S extends PreludeCapableStream>(underlyingStream: S, prelude: HttpResponsePrelude): S {
    underlyingStream.setContentType(HTTP_INTEGRATION_CONTENT_TYPE);
    const json = JSON.stringify(prelude);
    underlyingStream._onBeforeFirstWrite = (write) => {
      write(json);
      write(DELIMITER);
    };
    return underlyingStream;
  },
};
