import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Figures } from './occurrence-ledger';

/** One assertion of a case, kept with its figure so the table can say why a case failed. */
export interface Check {
  name: string;
  ok: boolean;
  detail: string;
}

/** A case's outcome as the table and bench/results/faults.json hold it. */
export interface FaultResult {
  order: number;
  id: string;
  title: string;
  passed: boolean;
  figures: Figures;
  checks: Check[];
  /** What happened when, relative to the tasks' registration ("+12.3 s redis killed"). */
  timeline: string[];
  ranAt: string;
  /** HEAD when the case ran, and whether the server's sources had uncommitted changes. */
  commit: string;
  durationMs: number;
}

const root = join(__dirname, '..', '..', '..');
export const RESULTS_FILE = join(root, 'bench', 'results', 'faults.json');

export function commitOfSources(): string {
  try {
    const head = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: root }).toString().trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--', 'backend/src'], {
      cwd: root,
    }).toString();
    return dirty.trim() === '' ? head : `${head}+uncommitted`;
  } catch {
    return 'unknown';
  }
}

/** Keeps a case's result for the end-of-run table (the run directory is made by global-setup.ts). */
export function saveResult(result: FaultResult): void {
  const dir = process.env.KAIROS_FAULTS_RUN_DIR;
  if (!dir) return;
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, `${result.order}-${result.id}.json`), JSON.stringify(result, null, 2));
}

export function loadResults(dir: string): FaultResult[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((name) => name.endsWith('.json'))
    .map((name) => JSON.parse(readFileSync(join(dir, name), 'utf8')) as FaultResult)
    .sort((a, b) => a.order - b.order);
}

const seconds = (ms: number | null) => (ms === null ? 'n/a' : `${(ms / 1000).toFixed(2)} s`);

/** The fault table, markdown, as docs/reliability.md shows it. */
export function renderTable(results: FaultResult[]): string {
  const lines = [
    '| # | fault | result | due | fired | doubled | missing | skipped (no real overlap) | re-sent | worst lag at start | worst lag at arrival | failed checks |',
    '| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |',
  ];
  for (const r of results) {
    const f = r.figures;
    const failed = r.checks.filter((c) => !c.ok).map((c) => `${c.name} (${c.detail})`);
    lines.push(
      `| ${r.order} | ${r.title} | ${r.passed ? 'pass' : '**FAIL**'} | ${f.due} | ${f.fired} | ${f.doubled} | ${f.missing} | ${f.skipped} (${f.unjustifiedSkips ?? 0}) | ${f.resent} | ${seconds(f.worstStartLagMs)} | ${seconds(f.worstArrivalLagMs)} | ${failed.join('; ') || '-'} |`,
    );
  }
  return lines.join('\n');
}

/** One case's figures and checks, printed when it ends. */
export function renderCase(result: FaultResult): string {
  const f = result.figures;
  return [
    `fault ${result.order} ${result.id}: ${result.passed ? 'PASS' : 'FAIL'} (${(result.durationMs / 1000).toFixed(1)} s, ${result.commit})`,
    `  ${f.tasks} tasks: due ${f.due}, fired ${f.fired}, doubled ${f.doubled}, missing ${f.missing}, skipped ${f.skipped} (${f.unjustifiedSkips ?? 0} without a real overlap), re-sent ${f.resent}, undelivered ${f.undelivered}, unrecorded ${f.unrecorded}, off-grid ${f.offGrid}`,
    `  worst lag at start ${seconds(f.worstStartLagMs)}, at arrival ${seconds(f.worstArrivalLagMs)}`,
    ...result.timeline.map((line) => `  ${line}`),
    ...result.checks.map((c) => `  ${c.ok ? 'ok  ' : 'FAIL'} ${c.name}: ${c.detail}`),
  ].join('\n');
}

/** Merges this run's cases into bench/results/faults.json: a case not run keeps its last result. */
export function writeResultsFile(results: FaultResult[]): void {
  const previous = existsSync(RESULTS_FILE)
    ? ((JSON.parse(readFileSync(RESULTS_FILE, 'utf8')) as { cases?: FaultResult[] }).cases ?? [])
    : [];
  const byId = new Map(previous.map((r) => [r.id, r]));
  for (const result of results) byId.set(result.id, result);
  const cases = [...byId.values()].sort((a, b) => a.order - b.order);
  const file = {
    description:
      'npm run test:faults: each fault case against real PostgreSQL, Redis and Kairos processes; figures from the event store and a loopback HTTP receiver (backend/test/faults/README.md)',
    updatedAt: new Date().toISOString(),
    cases,
  };
  writeFileSync(RESULTS_FILE, `${JSON.stringify(file, null, 2)}\n`);
}
