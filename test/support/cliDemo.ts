/**
 * The real CLI `demo` as a child process (compiled by buildSources.ts), on an ephemeral loopback port,
 * for tests of what only a whole process shows: the worker pool, graceful shutdown.
 */
import { spawn, type ChildProcess } from 'node:child_process';

export interface CliDemo {
  child: ChildProcess;
  base: string;
  /** Everything the process wrote so far (stdout and stderr). */
  output: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Starts `node <mainJs> demo` with only PATH and `env` set; resolves once it logs its address. */
export async function startCliDemo(mainJs: string, cwd: string, env: Record<string, string>, startTimeoutMs: number): Promise<CliDemo> {
  const child = spawn(process.execPath, [mainJs, 'demo'], {
    cwd,
    env: { PATH: process.env.PATH ?? '', PORT: '0', HOST: '127.0.0.1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout?.on('data', (c: Buffer) => (out += c.toString('utf8')));
  child.stderr?.on('data', (c: Buffer) => (out += c.toString('utf8')));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  const started = Date.now();
  for (;;) {
    const m = /on (http:\/\/[^\s]+:(\d+))/.exec(out);
    if (m) return { child, base: `http://127.0.0.1:${m[2]}`, output: () => out, exited };
    if (child.exitCode !== null || Date.now() - started > startTimeoutMs) throw new Error(`demo did not start:\n${out}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
