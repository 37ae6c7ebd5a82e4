/**
 * The one check the JSON hosts share: `bytes` is refused with an InputError that names the setting
 * and the host; any other value, valid or not, is left to the task's own validation.
 */
import { describe, expect, it } from '@jest/globals';
import { assertJsonOutputEncoding, InputError, isTaskError } from '../../src/index.js';

describe('assertJsonOutputEncoding', () => {
  it('refuses bytes with INVALID_INPUT, an issue on settings.outputEncoding and the host named', () => {
    let thrown: unknown;
    try {
      assertJsonOutputEncoding({ settings: { outputEncoding: 'bytes' } }, 'the n8n node');
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(InputError);
    expect(isTaskError(thrown) && thrown.code).toBe('INVALID_INPUT');
    expect((thrown as InputError).message).toBe(
      "settings.outputEncoding: 'bytes' gives Uint8Array data, which the n8n node cannot carry (its output is JSON); use utf8 or base64",
    );
    expect((thrown as InputError).issues).toEqual([
      expect.objectContaining({
        location: 'settings',
        path: 'settings.outputEncoding',
        keyword: 'jsonOutput',
      }),
    ]);
  });

  it('lets every other input through, a getter that throws included (validation reports those)', () => {
    const throwing = {
      get settings(): never {
        throw new Error('no');
      },
    };
    for (const input of [
      undefined,
      null,
      'text',
      {},
      { settings: null },
      { settings: { outputEncoding: 'utf8' } },
      { settings: { outputEncoding: 'base64' } },
      { settings: { outputEncoding: 'BYTES' } },
      throwing,
    ]) {
      expect(() => assertJsonOutputEncoding(input, 'a host')).not.toThrow();
    }
  });
});
