import { readFileSync, writeFileSync } from 'node:fs';
import { type BenchSizes } from '../bench-sizes';
import { type BenchReport, type RunResult } from '../run-result';
import { type WorkloadId } from '../workloads/workload';
import { targetRows } from './targets';

const ms = (value: number | null | undefined) =>
  value === null || value === undefined
    ? '–'
    : value < 10
      ? value.toFixed(1)
      : Math.round(value).toLocaleString('en-US');
const count = (value: number) => Math.round(value).toLocaleString('en-US');

/** The figure each workload is judged by, and whether lower is better. */
const HEADLINE: Record<
  WorkloadId,
  { label: string; lowerIsBetter: boolean; of(r: RunResult): number | undefined }
> = {
  W1: {
    label: 'last start after due (ms)',
    lowerIsBetter: true,
    of: (r) => r.outcome.firing?.lastStartAfterDueMs ?? undefined,
  },
  W2: { label: 'lag p99 (ms)', lowerIsBetter: true, of: (r) => r.outcome.firing?.lag?.p99 },
  W3: { label: 'lag p99 (ms)', lowerIsBetter: true, of: (r) => r.outcome.firing?.lag?.p99 },
  W4: { label: 'tasks registered/s', lowerIsBetter: false, of: (r) => r.outcome.registeredPerSecond },
  W5: { label: 'lag p99 (ms)', lowerIsBetter: true, of: (r) => r.outcome.firing?.lag?.p99 },
  W6: { label: 'lag max (ms)', lowerIsBetter: true, of: (r) => r.outcome.firing?.lag?.max },
};

function processes(result: RunResult): string {
  return result.processes
    .map((p) => `${p.name} ${count(p.peakRssMb)} / ${p.cpuSeconds.toFixed(1)}`)
    .join('; ');
}

function workloadTable(results: RunResult[]): string[] {
  const lines = [
    '| system | fired / expected | duplicates | misses | lag p50 | p95 | p99 | max (ms) | last start after due (ms) | starts/s | registered/s | peak RSS MiB / CPU s, per process |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
  ];
  for (const r of results) {
    const { firing, unsupported, registeredPerSecond, fireablePerSecond } = r.outcome;
    if (unsupported) {
      lines.push(`| ${r.system} | ${unsupported} | | | | | | | | | | |`);
      continue;
    }
    const rate = registeredPerSecond
      ? `${count(registeredPerSecond)}${fireablePerSecond && fireablePerSecond < registeredPerSecond * 0.95 ? ` (fireable: ${count(fireablePerSecond)})` : ''}`
      : '';
    lines.push(
      firing
        ? `| ${r.system} | ${count(firing.fired)} / ${count(firing.expected)} | ${firing.duplicates} | ${firing.misses} | ${ms(firing.lag?.p50)} | ${ms(firing.lag?.p95)} | ${ms(firing.lag?.p99)} | ${ms(firing.lag?.max)} | ${r.workload === 'W1' ? ms(firing.lastStartAfterDueMs) : '–'} | ${firing.startsPerSecond ? count(firing.startsPerSecond) : '–'} | ${rate} | ${processes(r)} |`
        : `| ${r.system} | | | | | | | | | | ${rate} | ${processes(r)} |`,
    );
  }
  const pages = results.filter((r) => r.outcome.firstPageMs);
  if (pages.length > 0) {
    lines.push(
      '',
      '| system | first page of the task list while it runs: p50 / p95 / max (ms) |',
      '| --- | --- |',
    );
    for (const r of pages) {
      const page = r.outcome.firstPageMs!;
      lines.push(`| ${r.system} | ${ms(page.p50)} / ${ms(page.p95)} / ${ms(page.max)} |`);
    }
  }
  return lines;
}

function ratioTable(report: BenchReport): string[] {
  const kairos = [...new Set(report.results.map((r) => r.system))].filter((s) => s.startsWith('Kairos'));
  const peers = [...new Set(report.results.map((r) => r.system))].filter((s) => !s.startsWith('Kairos'));
  const lines = [
    `| workload | figure | ${[...kairos, ...peers].join(' | ')} | ${kairos.flatMap((k) => peers.map((p) => `${k.replace('Kairos ', '')} ÷ ${p}`)).join(' | ')} |`,
    `| --- | --- |${' --- |'.repeat(kairos.length + peers.length + kairos.length * peers.length)}`,
  ];
  for (const id of Object.keys(HEADLINE) as WorkloadId[]) {
    const headline = HEADLINE[id];
    const value = (system: string) => {
      const result = report.results.find((r) => r.system === system && r.workload === id);
      if (result?.outcome.unsupported)
        return result.outcome.unsupported.startsWith('not run') ? 'not run' : 'unsupported';
      return result ? headline.of(result) : undefined;
    };
    if (report.results.every((r) => r.workload !== id)) continue;
    const cells = [...kairos, ...peers].map((s) => {
      const v = value(s);
      return typeof v === 'number' ? (headline.lowerIsBetter ? ms(v) : count(v)) : (v ?? '–');
    });
    const ratios = kairos.flatMap((k) =>
      peers.map((p) => {
        const [a, b] = [value(k), value(p)];
        if (typeof a !== 'number' || typeof b !== 'number' || b === 0)
          return b === 'unsupported' ? 'peer cannot' : '–';
        return `${(a / b).toFixed(2)}×`;
      }),
    );
    lines.push(`| ${id} | ${headline.label} | ${cells.join(' | ')} | ${ratios.join(' | ')} |`);
  }
  return lines;
}

/** The comparison as Markdown: how it was run, the targets, the ratios, then each workload in full. */
export function markdownReport(report: BenchReport, sizes: BenchSizes): string {
  const v = report.versions;
  const lines = [
    `Measured ${report.date.slice(0, 16).replace('T', ' ')} UTC with \`${report.command}\` (${report.mode} sizes) on ${report.machine}.`,
    `Versions: Kairos ${v.kairos}, BullMQ ${v.bullmq}, pg-boss ${v['pg-boss']}, PostgreSQL from ${v.postgresql} (fsync on, shared by all), redis-server ${v.redis} (appendonly, appendfsync everysec), Node ${v.node}.`,
    'Lag is start minus due time: for Kairos the `startedAt` of its TaskExecutionStarted event, for the peers `Date.now()` on entering the handler. Duplicates and misses are counted against every expected firing; for Kairos the starts are read from the event store.',
    '',
    `Sizes: W1 ${count(sizes.burst)} due at one instant; W2 ${count(sizes.steady)} over ${sizes.steadySeconds} s; W3 ${count(sizes.cronTasks)} tasks every second for ${sizes.cronSeconds} s; W4 ${count(sizes.registrations)} registered; W5 ${count(sizes.ahead)} registered ahead plus ${sizes.dueRate} due/s for ${sizes.dueSeconds} s; W6 ${sizes.dueRate} due/s for ${sizes.failoverSeconds} s, one worker SIGKILLed after a third.`,
    '',
    '#### Design targets (section 8)',
    '',
    ...targetRows(report),
    '',
    "#### Kairos ÷ peer on each workload's headline figure (lag: below 1 is better; registration: above 1 is better)",
    '',
    ...ratioTable(report),
  ];
  for (const id of Object.keys(HEADLINE) as WorkloadId[]) {
    const results = report.results.filter((r) => r.workload === id);
    if (results.length === 0) continue;
    lines.push('', `#### ${id}: ${results[0].title}`, '', ...workloadTable(results));
  }
  return lines.join('\n');
}

const BEGIN = '<!-- bench:begin (written by npm run bench) -->';
const END = '<!-- bench:end -->';

/** Replaces the generated section of docs/benchmarks.md, keeping what is written by hand around it. */
export function writeBenchmarksSection(path: string, markdown: string): void {
  const text = readFileSync(path, 'utf8');
  const section = `${BEGIN}\n${markdown}\n${END}`;
  const begin = text.indexOf(BEGIN);
  const end = text.indexOf(END);
  const next =
    begin >= 0 && end > begin
      ? text.slice(0, begin) + section + text.slice(end + END.length)
      : `${text.trimEnd()}\n\n## Side by side with BullMQ and pg-boss\n\n${section}\n`;
  writeFileSync(path, next);
}
