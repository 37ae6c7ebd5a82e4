#!/usr/bin/env node
import { processIO } from './io.js';
import { main } from './main.js';

main(process.argv.slice(2), processIO()).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    // Last resort only: commands report their own errors (redacted) and return a status.
    process.stderr.write(`lambda-stream: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 3;
  },
);
