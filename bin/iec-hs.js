#!/usr/bin/env node
// Command line entry: run `npm run build` first (npm start/serve do it for you).
await import('../dist/src/cli/main.js');
