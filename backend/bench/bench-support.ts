import { cpus, totalmem } from 'node:os';

/** One line naming the machine, for the figures recorded in docs/benchmarks.md. */
export function machineDescription(): string {
  const cpu = cpus()[0]?.model ?? 'unknown CPU';
  return `${cpus().length} × ${cpu.trim()}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}, ${process.platform}`;
}

export function formatRate(count: number, ms: number): string {
  return `${Math.round((count / ms) * 1000).toLocaleString('en-US')}/s`;
}

/** Runs `work` repeatedly from `concurrency` loops until `durationMs` passes; returns operations done. */
export async function runFor(
  durationMs: number,
  concurrency: number,
  work: (loop: number, i: number) => Promise<number>,
) {
  const deadline = Date.now() + durationMs;
  const started = Date.now();
  let operations = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async (_, loop) => {
      for (let i = 0; Date.now() < deadline; i++) {
        const done = await work(loop, i); // not `operations += await ...`: that reads the total before awaiting
        operations += done;
      }
    }),
  );
  return { operations, elapsedMs: Date.now() - started };
}
