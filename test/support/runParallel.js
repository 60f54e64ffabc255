#!/usr/bin/env node
/**
 * Runs several npm scripts at the same time (`node test/support/runParallel.js typecheck lint`) and
 * prints each one's output in one block, in the order given, once it has finished. Exits with the
 * first non-zero exit code (all scripts still run to the end, so every failure is shown).
 * `npm test` uses it for the typecheck and the lint: each is one single-threaded TypeScript program
 * build, so on a 2-core machine together they take as long as the slower one alone.
 */
import { spawn } from 'node:child_process';

const scripts = process.argv.slice(2);
if (scripts.length === 0) {
  process.stderr.write('usage: runParallel.js <npm script>...\n');
  process.exit(2);
}

const npm = process.env.npm_execpath;
const runs = scripts.map((name) => {
  const started = Date.now();
  // Inside `npm run`, npm_execpath is npm's own CLI script; run it with this node, else `npm` from PATH.
  const child = npm ? spawn(process.execPath, [npm, 'run', name], { stdio: ['ignore', 'pipe', 'pipe'] }) : spawn('npm', ['run', name], { stdio: ['ignore', 'pipe', 'pipe'] });
  const chunks = [];
  child.stdout.on('data', (c) => chunks.push(c));
  child.stderr.on('data', (c) => chunks.push(c));
  return new Promise((resolve) => {
    child.on('error', (e) => resolve({ name, code: 1, output: `${e.message}\n`, ms: Date.now() - started }));
    child.on('close', (code, signal) => resolve({ name, code: code ?? (signal ? 1 : 0), output: Buffer.concat(chunks).toString('utf8'), ms: Date.now() - started }));
  });
});

let exitCode = 0;
for (const run of runs) {
  const { name, code, output, ms } = await run;
  process.stdout.write(`> ${name}: ${code === 0 ? 'ok' : `failed (exit ${code})`} in ${(ms / 1000).toFixed(1)} s\n${output}`);
  if (code !== 0 && exitCode === 0) exitCode = code;
}
process.exitCode = exitCode;
