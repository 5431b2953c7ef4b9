#!/usr/bin/env node
// The published command: the compiled CLI, run by plain node (`pnpm build` writes dist/).
// Inside the repository, `pnpm netsim` runs the TypeScript sources instead.
import '../dist/cli.js';
