import { mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';

/** Every helper process's code lives under bench/src; the compiled folder keeps that layout. */
const SOURCES = join(__dirname, '..');
const root = join(SOURCES, '..', '..');

/**
 * Transpiles `entry` (a TypeScript file under bench/src) and every local module it imports into a
 * temporary folder of the same layout, whose node_modules links to the repository's so that the
 * libraries resolve as they would from here. Resolves the folder and the entry's compiled script.
 * The benchmark's helper processes run as this plain JavaScript: under ts-node their RSS would carry
 * about 60 MB of TypeScript compiler, while Kairos runs from its build. (So no helper may import this
 * file: it would load the compiler.)
 */
export async function compile(entry: string): Promise<{ dir: string; script: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'kairos-bench-child-'));
  await writeFile(join(dir, 'package.json'), '{ "type": "commonjs" }\n');
  await symlink(join(root, 'node_modules'), join(dir, 'node_modules'), 'dir');
  try {
    await transpileFrom(entry, dir);
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
  return { dir, script: join(dir, relative(SOURCES, entry)).replace(/\.ts$/, '.js') };
}

async function transpileFrom(entry: string, dir: string): Promise<void> {
  const done = new Set<string>();
  const pending = [entry];
  for (let source = pending.pop(); source !== undefined; source = pending.pop()) {
    if (done.has(source)) continue;
    done.add(source);
    if (relative(SOURCES, source).startsWith('..')) {
      throw new Error(`${relative(root, source)}: a helper process may import only from bench/src`);
    }
    if (source === __filename) throw new Error(`${relative(root, entry)} reaches the compiler`);
    const text = await readFile(source, 'utf8');
    // Local imports (type-only ones too: harmless, and the transpiler drops them from the output).
    for (const { fileName } of ts.preProcessFile(text, true, true).importedFiles) {
      if (fileName.startsWith('.')) pending.push(`${resolve(dirname(source), fileName)}.ts`);
    }
    const { outputText } = ts.transpileModule(text, {
      fileName: source,
      compilerOptions: {
        module: ts.ModuleKind.Node20, // keeps `await import('pg-boss')` an import: pg-boss is ESM only
        target: ts.ScriptTarget.ES2022,
        esModuleInterop: true,
      },
    });
    const target = join(dir, relative(SOURCES, source)).replace(/\.ts$/, '.js');
    await mkdir(dirname(target), { recursive: true });
    await writeFile(target, outputText);
  }
}
