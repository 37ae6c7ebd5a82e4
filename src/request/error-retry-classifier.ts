import type { LoadedManifest } from '../definition/index.js';

/** How the service classes an error for retries. */
export type RetryClass = 'throttling' | 'transient';

/**
 * The retry class of a named service error from the definition's errors table
 * (`undefined`: not retried by name; the status may still make it transient).
 * @example
 * errorRetryClassifier(manifest)('TooManyRequestsException') // 'throttling'
 */
export function errorRetryClassifier(
  manifest: LoadedManifest,
): (awsErrorType: string | undefined) => RetryClass | undefined {
  // Once per loaded manifest (it is frozen): every call asks for it.
  let classify = classifiers.get(manifest);
  if (classify === undefined) {
    const table = new Map<string, RetryClass>();
    for (const error of manifest.errors.modeled) {
      if (error.retry !== 'none') table.set(error.name, error.retry);
    }
    classify = (awsErrorType) => (awsErrorType === undefined ? undefined : table.get(awsErrorType));
    classifiers.set(manifest, classify);
  }
  return classify;
}

const classifiers = new WeakMap<
  LoadedManifest,
  (awsErrorType: string | undefined) => RetryClass | undefined
>();
