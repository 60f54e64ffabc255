/**
 * A throwaway PostgreSQL server for tests: initdb in a temporary folder, a free loopback port, trust
 * auth, removed afterwards. PostgreSQL refuses to run as root, so when the tests run as root (CI and
 * sessions do) initdb and pg_ctl run as the `postgres` system user. Only loopback is listened on.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, chownSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface ThrowawayPostgres {
  /** `postgresql://test@127.0.0.1:<port>/postgres` */
  url: string;
  port: number;
  /** Stops the server and removes its folder; safe to call twice. */
  stop(): void;
}

const PG_BIN_CANDIDATES = ['/usr/local/bin', '/usr/lib/postgresql/17/bin', '/usr/lib/postgresql/16/bin', '/usr/lib/postgresql/15/bin'];

function pgBin(name: string): string {
  for (const dir of PG_BIN_CANDIDATES) {
    try {
      execFileSync('test', ['-x', join(dir, name)]);
      return join(dir, name);
    } catch {
      // try the next folder
    }
  }
  throw new Error(`${name} not found: install Debian's postgresql (apt-get install postgresql)`);
}

export function postgresAvailable(): boolean {
  try {
    pgBin('pg_ctl');
    return true;
  } catch {
    return false;
  }
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

function postgresUid(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const line = readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .find((l) => l.startsWith('postgres:'));
  const fields = line?.split(':');
  if (!fields || fields.length < 4) throw new Error('running as root but there is no postgres system user');
  return { uid: Number(fields[2]), gid: Number(fields[3]) };
}

export async function startThrowawayPostgres(): Promise<ThrowawayPostgres> {
  const dir = mkdtempSync(join(tmpdir(), 'iechs-pg-'));
  chmodSync(dir, 0o700);
  const owner = postgresUid();
  if (owner) chownSync(dir, owner.uid, owner.gid);
  const run = (bin: string, args: string[]): void => {
    const [cmd, argv] = owner ? ['runuser', ['-u', 'postgres', '--', pgBin(bin), ...args]] : [pgBin(bin), args];
    execFileSync(cmd, argv, { stdio: 'pipe', timeout: 60_000 });
  };
  const data = join(dir, 'data');
  const port = await freePort();
  run('initdb', ['-D', data, '-U', 'test', '--auth=trust', '--no-sync']);
  run('pg_ctl', ['-D', data, '-o', `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off`, '-l', join(dir, 'log'), '-w', 'start']);
  let stopped = false;
  const stop = (): void => {
    if (stopped) return;
    stopped = true;
    try {
      run('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']);
    } catch {
      // End it by its own pid, never by name, if pg_ctl could not.
      try {
        const pid = Number(readFileSync(join(data, 'postmaster.pid'), 'utf8').split('\n')[0]);
        if (pid > 0) process.kill(pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    rmSync(dir, { recursive: true, force: true });
  };
  process.once('exit', stop);
  return { url: `postgresql://test@127.0.0.1:${port}/postgres`, port, stop };
}
