#!/usr/bin/env node
import { processIO } from './io.js';
import { main } from './main.js';

main(process.argv.slice(2), processIO()).then(
  (code) => {
    process.exitCode = code;
  },
  async (error: unknown) => {
    // Last resort only: commands report their own errors (redacted) and return a status.
    process.exitCode = 3;
    const message = error instanceof Error ? error.message : String(error);
    const { escapeControls, redact } = await import('../../index.js');
    process.stderr.write(`lambda-stream: ${escapeControls(redact(message))}\n`);
  },
);
