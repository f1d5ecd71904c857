#!/usr/bin/env node
// Thin launcher: the compiled CLI lives in dist/ (built by `npm ci` through the `prepare` script).
import { setFlagsFromString } from 'node:v8';

// The shell parser is a 1.3 MB WebAssembly module. V8 compiles it twice by default (Liftoff, then
// TurboFan in the background), and the process cannot exit until the second compile finishes:
// about 400 ms of a one-second review spent optimising code that has already done its work.
// Liftoff's code parses a RUN body in well under a millisecond, which is all a CLI run needs.
setFlagsFromString('--liftoff-only');

const { main } = await import('../dist/cli/main.js');
process.exitCode = await main(process.argv.slice(2));
