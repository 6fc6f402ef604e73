import { type BenchReport } from '../run-result';

/**
 * The lag distributions as an SVG: one panel per firing workload, one row per system, on a log scale
 * from 1 ms to 10 s. At arrival (the headline) the bar runs from p50 to p99, ticks mark p95 and the
 * maximum; a thin grey bar under it runs from p50 to p99 at start, so that the two read together.
 */
const WIDTH = 860;
const LABEL = 230;
const ROW = 22;
const MIN_MS = 1;
const MAX_MS = 10_000;
const COLORS = ['#2563eb', '#7c3aed', '#dc2626', '#16a34a', '#ea580c'];

const x = (ms: number) =>
  LABEL +
  ((Math.log10(Math.min(MAX_MS, Math.max(MIN_MS, ms))) - Math.log10(MIN_MS)) /
    (Math.log10(MAX_MS) - Math.log10(MIN_MS))) *
    (WIDTH - LABEL - 20);
const escape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;');

export function lagChartSvg(report: BenchReport): string {
  const systems = [...new Set(report.results.map((r) => r.system))];
  const workloads = [
    ...new Set(
      report.results
        .filter((r) => r.outcome.arrival || r.outcome.start || r.outcome.unsupported)
        .map((r) => r.workload),
    ),
  ];
  const parts: string[] = [];
  let y = 30;
  for (const id of workloads) {
    const first = report.results.find((r) => r.workload === id)!;
    parts.push(`<text x="10" y="${y}" font-weight="bold">${id}: ${escape(first.title)}</text>`);
    y += 10;
    systems.forEach((system, i) => {
      const result = report.results.find((r) => r.workload === id && r.system === system);
      if (!result) return;
      y += ROW;
      parts.push(`<text x="20" y="${y + 4}">${escape(system)}</text>`);
      const start = result.outcome.start?.lag;
      if (start) {
        parts.push(
          `<rect x="${x(start.p50)}" y="${y + 7}" width="${Math.max(2, x(start.p99) - x(start.p50))}" height="3" fill="#6b7280"/>`,
        );
      }
      const lag = result.outcome.arrival?.lag;
      if (!lag) {
        const why = result.outcome.unsupported ?? (start ? 'no arrivals recorded' : 'nothing fired');
        parts.push(`<text x="${LABEL}" y="${y + 4}" fill="#666">${escape(why)}</text>`);
        return;
      }
      const color = COLORS[i % COLORS.length];
      parts.push(
        `<rect x="${x(lag.p50)}" y="${y - 6}" width="${Math.max(2, x(lag.p99) - x(lag.p50))}" height="12" fill="${color}" opacity="0.75"/>`,
        `<line x1="${x(lag.p95)}" x2="${x(lag.p95)}" y1="${y - 8}" y2="${y + 8}" stroke="#111"/>`,
        `<line x1="${x(lag.max)}" x2="${x(lag.max)}" y1="${y - 8}" y2="${y + 8}" stroke="${color}" stroke-width="2"/>`,
        `<text x="${Math.min(WIDTH - 60, x(lag.max) + 6)}" y="${y + 4}" font-size="10" fill="#333">p99 ${lag.p99.toFixed(0)} ms</text>`,
      );
    });
    y += 30;
  }
  const axisY = y;
  for (const tick of [1, 10, 100, 1000, 10_000]) {
    parts.push(
      `<line x1="${x(tick)}" x2="${x(tick)}" y1="20" y2="${axisY}" stroke="#ddd"/>`,
      `<text x="${x(tick)}" y="${axisY + 14}" text-anchor="middle" font-size="11">${tick >= 1000 ? `${tick / 1000} s` : `${tick} ms`}</text>`,
    );
  }
  parts.push(
    `<text x="10" y="${axisY + 34}" font-size="11" fill="#333">${escape('Lag at the receiver (arrival minus due), log scale: bar p50 to p99, black tick p95, coloured tick max; grey: p50 to p99 at start.')}</text>`,
    `<text x="10" y="${axisY + 50}" font-size="11" fill="#333">${escape(`${report.machine}; ${report.date.slice(0, 10)}.`)}</text>`,
  );
  const height = axisY + 62;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" font-family="sans-serif" font-size="12">\n<rect width="100%" height="100%" fill="white"/>\n${parts.join('\n')}\n</svg>\n`;
}
