import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { Command } from '../command';
import { UsageError } from '../errors';

export const projectionsCommand: Command = {
  name: 'projections',
  usage: 'projections rebuild',
  summary: 'rebuild the read model from the event log, locally against DATABASE_URL (no --url)',
  positionals: { min: 1, max: 1, names: 'rebuild' },
  async run({ args, io }) {
    if (args[0] !== 'rebuild') throw new UsageError(`unknown projections command "${args[0]}": try rebuild`);
    const { root, argv } = rebuildCommandLine();
    io.err(`kairos: running ${argv.join(' ')}`);
    return new Promise<number>((resolve, reject) => {
      const child = spawn(process.execPath, argv, {
        cwd: root,
        env: { ...process.env, ...io.env },
        stdio: 'inherit',
      });
      child.on('error', reject);
      child.on('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
    });
  },
};

/** The compiled rebuild next to the compiled CLI, else the TypeScript one through scripts/run-ts.js. */
function rebuildCommandLine(): { root: string; argv: string[] } {
  const compiled = __filename.endsWith('.js');
  // backend/src/cli/commands (sources) or dist/server/backend/src/cli/commands (build)
  const root = join(__dirname, compiled ? '../../../../../..' : '../../../..');
  const script = join(__dirname, '../../projections/rebuild', compiled ? 'rebuild.cli.js' : 'rebuild.cli.ts');
  if (compiled && existsSync(script)) return { root, argv: [script] };
  const source = join(root, 'backend/src/projections/rebuild/rebuild.cli.ts');
  return { root, argv: [join(root, 'scripts/run-ts.js'), relative(root, source)] };
}
