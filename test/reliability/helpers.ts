/**
 * Shared pieces of the reliability suite (issue 6, parts 3–7): the long/short switch, the figures
 * each part writes to `.reliability/<part>.json`, distinctive fake credentials, and the secret
 * scanner every part runs over what it captured.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import type { ExecutionObserver } from '../../src/index.js';
import { packagePath } from '../../src/paths.js';
import { reliabilityDir, writeJsonAtomic } from '../support/vectors.js';

/** `RELIABILITY_LONG=1` runs the long variants (`npm run reliability -- --long`). */
export const LONG = process.env.RELIABILITY_LONG === '1';

/** The functions the reliability suite runs (a deterministic generator, a marker, an endless stream). */
export const RELIABILITY_FUNCTIONS = packagePath(join('test', 'fixtures', 'reliability-functions'));

/**
 * Fake credentials, distinctive enough that any leak is unmistakable. `shaped` looks like a real
 * key (AKIA…), so the redactor's shape rules could catch it; `unshaped` does not, so only the
 * registry of known secrets can.
 */
export const CREDENTIALS = {
  shaped: {
    accessKeyId: 'AKIARELIABILITY7Q2X9',
    secretAccessKey: 'r3l1abSecretKey/Zq8+WvTnQ0pLmK4sJ7hG2fD9aB6cE5xY1',
    sessionToken: 'IQoJb3JpZ2luRELIABILITYsessionTOKEN//0123456789abcdefQWERTY+zxcv==',
  },
  unshaped: {
    accessKeyId: 'relkey-UNSHAPED-4242-id',
    secretAccessKey: 'plainSecretWithoutShape_77x_reliability',
    sessionToken: 'sessTokenWithoutShape_reliability_8c1e0f',
  },
} as const;

/** The key pairs the emulator is told to accept. */
export const EMULATOR_CREDENTIALS = [
  { accessKeyId: CREDENTIALS.shaped.accessKeyId, secretAccessKey: CREDENTIALS.shaped.secretAccessKey },
  { accessKeyId: CREDENTIALS.unshaped.accessKeyId, secretAccessKey: CREDENTIALS.unshaped.secretAccessKey },
];

const home = mkdtempSync(join(tmpdir(), 'reliability-home-'));

/** An environment with nothing from the real machine: no ~/.aws, no AWS_* variables. */
export function isolatedEnv(extra: Record<string, string> = {}): Record<string, string> {
  return {
    HOME: home,
    PATH: process.env.PATH ?? '',
    AWS_CONFIG_FILE: join(home, 'missing-config'),
    AWS_SHARED_CREDENTIALS_FILE: join(home, 'missing-credentials'),
    ...extra,
  };
}

/** Write one part's figures to `.reliability/<part>.json`. */
export function writeFigures(part: string, figures: Record<string, unknown>): void {
  writeJsonAtomic(join(reliabilityDir, `${part}.json`), {
    part,
    long: LONG,
    ...figures,
    at: new Date().toISOString(),
  });
}

/** A leak the scanner found: where, and what kind (never the secret itself). */
export interface Leak {
  source: string;
  kind: string;
  line: number;
}

/**
 * Collects everything a run printed or returned and scans it for key material: an access key id
 * beyond its first 4 characters, a secret key, a session token, any 64-hex `Signature=` value, and
 * every signature actually computed during the run (collected through the observer, which sees
 * them unredacted).
 */
export class SecretScan {
  private readonly texts: Array<{ source: string; text: string }> = [];
  private readonly signatures = new Set<string>();

  /** Text as printed. */
  add(source: string, text: string): void {
    this.texts.push({ source, text });
  }

  /** A value as a host could print it: JSON, util.inspect, and for errors message and stack. */
  addValue(source: string, value: unknown): void {
    if (value instanceof Error) {
      this.add(`${source}.message`, value.message);
      this.add(`${source}.stack`, value.stack ?? '');
      this.add(`${source}.String`, String(value));
    }
    let json: string;
    try {
      json = JSON.stringify(value, null, 1) ?? 'undefined';
    } catch (error: unknown) {
      json = `unserialisable: ${String(error)}`;
    }
    this.add(`${source}.json`, json);
    this.add(`${source}.inspect`, inspect(value, { depth: 8, showHidden: false }));
  }

  /** Remember the signature of an `Authorization` header, so the scan looks for it. */
  recordAuthorization(authorization: string | undefined): void {
    const signature = /Signature=([0-9a-f]{64})/.exec(authorization ?? '')?.[1];
    if (signature !== undefined) this.signatures.add(signature);
  }

  /** An observer that records every signature the executor computes (and stays silent). */
  observer(): ExecutionObserver {
    return {
      onRequest: (r) =>
        this.recordAuthorization(
          Object.entries(r.headers).find(([k]) => k.toLowerCase() === 'authorization')?.[1],
        ),
    };
  }

  /** How many computed signatures the scan looks for. */
  get signatureCount(): number {
    return this.signatures.size;
  }

  /** Sources and lines scanned so far. */
  totals(): { sources: number; lines: number; bytes: number } {
    let lines = 0;
    let bytes = 0;
    for (const { text } of this.texts) {
      lines += text.split('\n').length;
      bytes += Buffer.byteLength(text);
    }
    return { sources: this.texts.length, lines, bytes };
  }

  /** Every leak found (empty when clean). */
  leaks(): Leak[] {
    const needles: Array<{ kind: string; value: string }> = [];
    for (const [name, c] of Object.entries(CREDENTIALS)) {
      // More than 4 characters of the key id is a leak (the redactor keeps exactly 4).
      needles.push({ kind: `${name} access key id (5+ chars)`, value: c.accessKeyId.slice(0, 5) });
      needles.push({ kind: `${name} secret key`, value: c.secretAccessKey });
      needles.push({ kind: `${name} secret key (part)`, value: c.secretAccessKey.slice(8, 24) });
      needles.push({ kind: `${name} session token`, value: c.sessionToken });
      needles.push({ kind: `${name} session token (part)`, value: c.sessionToken.slice(8, 24) });
    }
    for (const s of this.signatures) needles.push({ kind: 'computed signature', value: s.slice(0, 16) });
    const found: Leak[] = [];
    for (const { source, text } of this.texts) {
      const lines = text.split('\n');
      lines.forEach((line, i) => {
        for (const needle of needles) {
          if (line.includes(needle.value)) found.push({ source, kind: needle.kind, line: i + 1 });
        }
        if (/Signature=[0-9a-fA-F]{64}/.test(line))
          found.push({ source, kind: 'Signature= value', line: i + 1 });
        if (/x-amz-security-token["']?\s*[:=]\s*["']?(?!<redacted>)[A-Za-z0-9]/i.test(line)) {
          found.push({ source, kind: 'security token header', line: i + 1 });
        }
      });
    }
    return found;
  }
}

/** A logger that keeps every line at every level (so the scan sees debug output too). */
export function capturingLogger(scan: SecretScan, source: string) {
  const lines: string[] = [];
  const at =
    (level: string) =>
    (message: string, fields?: Record<string, unknown>): void => {
      const line = `${level} ${message}${fields === undefined ? '' : ` ${JSON.stringify(fields)}`}`;
      lines.push(line);
      scan.add(`${source}.log.${level}`, line);
    };
  return { logger: { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') }, lines };
}
