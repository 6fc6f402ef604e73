import { readFileSync, writeFileSync } from 'node:fs';
import { type BenchSizes } from '../bench-sizes';
import { type FiringStats } from '../firing-stats';
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
const whole = (value: number | null | undefined) =>
  value === null || value === undefined ? '–' : count(value);

/** The figure each workload is judged by, at the receiver, and whether lower is better. */
const HEADLINE: Record<
  WorkloadId,
  { label: string; lowerIsBetter: boolean; of(r: RunResult): number | undefined }
> = {
  W1: {
    label: 'last arrival after due (ms)',
    lowerIsBetter: true,
    of: (r) => r.outcome.arrival?.lastAfterDueMs ?? undefined,
  },
  W2: { label: 'lag p99 at arrival (ms)', lowerIsBetter: true, of: (r) => r.outcome.arrival?.lag?.p99 },
  W3: { label: 'lag p99 at arrival (ms)', lowerIsBetter: true, of: (r) => r.outcome.arrival?.lag?.p99 },
  W4: { label: 'tasks registered/s', lowerIsBetter: false, of: (r) => r.outcome.registeredPerSecond },
  W5: { label: 'lag p99 at arrival (ms)', lowerIsBetter: true, of: (r) => r.outcome.arrival?.lag?.p99 },
  W6: { label: 'lag max at arrival (ms)', lowerIsBetter: true, of: (r) => r.outcome.arrival?.lag?.max },
};

function processes(result: RunResult): string {
  return result.processes
    .map((p) => `${p.name} ${count(p.peakRssMb)} / ${p.cpuSeconds.toFixed(1)}`)
    .join('; ');
}

/** "p50 / p95 / p99 / max" of one point of the path, or "–" where it was not measured. */
const lags = (stats: FiringStats | undefined) =>
  stats?.lag ? [stats.lag.p50, stats.lag.p95, stats.lag.p99, stats.lag.max].map(ms).join(' / ') : '–';
/** One figure at arrival and at start: "arrival / start". */
const pair = (arrival: number | null | undefined, start: number | null | undefined, format = ms) =>
  `${format(arrival)} / ${format(start)}`;

function workloadTable(results: RunResult[]): string[] {
  const lines = [
    '| system | arrived / expected | duplicates: arrival / start | misses: arrival / start | lag at arrival p50 / p95 / p99 / max (ms) | lag at start p50 / p95 / p99 / max (ms) | last after due: arrival / start (ms) | arrivals/s | registered/s | peak RSS MiB / CPU s, per process |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
  ];
  for (const r of results) {
    const { arrival, start, unsupported, registeredPerSecond, fireablePerSecond } = r.outcome;
    if (unsupported) {
      lines.push(`| ${r.system} | ${unsupported} | | | | | | | | |`);
      continue;
    }
    const rate = registeredPerSecond
      ? `${count(registeredPerSecond)}${fireablePerSecond && fireablePerSecond < registeredPerSecond * 0.95 ? ` (fireable: ${count(fireablePerSecond)})` : ''}`
      : '';
    const firing = arrival ?? start;
    lines.push(
      firing
        ? `| ${r.system} | ${arrival ? `${count(arrival.fired)} / ${count(arrival.expected)}` : '–'} | ${pair(arrival?.duplicates, start?.duplicates, whole)} | ${pair(arrival?.misses, start?.misses, whole)} | ${lags(arrival)} | ${lags(start)} | ${r.workload === 'W1' ? pair(arrival?.lastAfterDueMs, start?.lastAfterDueMs) : '–'} | ${arrival?.perSecond ? count(arrival.perSecond) : '–'} | ${rate} | ${processes(r)} |`
        : `| ${r.system} | | | | | | | | ${rate} | ${processes(r)} |`,
    );
  }
  const colds = results.filter((r) => r.outcome.cold);
  if (colds.length > 0) {
    lines.push(
      '',
      "The same burst as each process's first firing, just before the one above (its code still cold):",
      '',
      '| system | arrived / expected | duplicates: arrival / start | misses: arrival / start | last after due: arrival / start (ms) |',
      '| --- | --- | --- | --- | --- |',
    );
    for (const r of colds) {
      const { arrival, start } = r.outcome.cold!;
      lines.push(
        `| ${r.system} | ${count(arrival.fired)} / ${count(arrival.expected)} | ${pair(arrival.duplicates, start.duplicates, whole)} | ${pair(arrival.misses, start.misses, whole)} | ${pair(arrival.lastAfterDueMs, start.lastAfterDueMs)} |`,
      );
    }
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

/** The receiver's own limit, beside every table: no system's arrivals can come faster than this. */
function floorNote({ receiverFloor: floor }: BenchReport): string {
  return floor
    ? `Receiver floor: ${count(floor.requests)} POSTs from one undici client with ${floor.sockets} keep-alive sockets in ${count(floor.ms)} ms, ${count(floor.requestsPerSecond)} requests/s.`
    : 'Receiver floor: not measured (these results are from before the receiver).';
}

/** The comparison as Markdown: how it was run, the targets, the ratios, then each workload in full. */
export function markdownReport(report: BenchReport, sizes: BenchSizes): string {
  const v = report.versions;
  const lines = [
    `Measured ${report.date.slice(0, 16).replace('T', ' ')} UTC with \`${report.command}\` (${report.mode} sizes) on ${report.machine}.`,
    `Versions: Kairos ${v.kairos}, BullMQ ${v.bullmq}, pg-boss ${v['pg-boss']}, PostgreSQL from ${v.postgresql} (fsync on, shared by all), redis-server ${v.redis} (appendonly, appendfsync everysec), Node ${v.node}.`,
    "Lag is arrival minus due time, where users see it: when the request of the task's webhook reaches the HTTP receiver (a plain node:http server on 127.0.0.1, in its own process, answering 200 at once). Kairos calls it with its http action; the peers' handlers with undici through one keep-alive Agent of 256 sockets (Kairos's default cap), awaited inside the handler. Lag at start is beside it: for Kairos the `startedAt` of its TaskExecutionStarted event (read from the event store; decided up to 50 ms ahead, a run on time starts at its due instant, ADR 022), for the peers `Date.now()` on entering the handler. Duplicates (a repeated Idempotency-Key, or a second call of one firing) and misses are counted against every expected firing.",
    '',
    floorNote(report),
    '',
    `Sizes: W1 ${count(sizes.burst)} due at one instant, twice (the first burst of each process is reported apart); W2 ${count(sizes.steady)} over ${sizes.steadySeconds} s; W3 ${count(sizes.cronTasks)} tasks every second for ${sizes.cronSeconds} s; W4 ${count(sizes.registrations)} registered; W5 ${count(sizes.ahead)} registered ahead plus ${sizes.dueRate} due/s for ${sizes.dueSeconds} s; W6 ${sizes.dueRate} due/s for ${sizes.failoverSeconds} s, one worker SIGKILLed after a third.`,
    '',
    '#### Design targets (section 8), at arrival',
    '',
    ...targetRows(report),
    '',
    "#### Kairos ÷ peer on each workload's headline figure (lag: below 1 is better; registration: above 1 is better)",
    '',
    ...ratioTable(report),
    '',
    floorNote(report),
  ];
  for (const id of Object.keys(HEADLINE) as WorkloadId[]) {
    const results = report.results.filter((r) => r.workload === id);
    if (results.length === 0) continue;
    lines.push('', `#### ${id}: ${results[0].title}`, '', ...workloadTable(results), '', floorNote(report));
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
