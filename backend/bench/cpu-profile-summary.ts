/**
 * Where a `node --cpu-prof` profile's time went: the top functions by self time, and self time per
 * package (or "kairos" for our own code, "node" for Node's internals), as markdown tables.
 * Run: node scripts/run-ts.js backend/bench/cpu-profile-summary.ts <file.cpuprofile> [top=25] [skip=0]
 * `skip` leaves out the first seconds (the server's start: loading modules, connecting). The profiler
 * samples wall time: on a busy machine a function that wakes another process (writev to a socket) also
 * collects the time this one waited to run again.
 */
import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}

interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

function whereFrom(url: string): string {
  const inModules = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (inModules) return inModules[1];
  if (url.includes('/dist/server/') || url.includes('/backend/')) {
    return 'kairos';
  }
  return url === '' ? '(native and vm)' : 'node';
}

function main(): void {
  const [file, top = '25', skip = '0'] = process.argv.slice(2);
  if (!file) throw new Error('usage: cpu-profile-summary.ts <file.cpuprofile> [top]');
  const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const selfUs = new Map<number, number>();
  let at = 0;
  profile.samples.forEach((id, i) => {
    at += profile.timeDeltas[i] ?? 0;
    if (at >= Number(skip) * 1e6) selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
  });
  const total = [...selfUs.values()].reduce((a, b) => a + b, 0);
  const byFunction = new Map<string, number>();
  const byPackage = new Map<string, number>();
  for (const [id, us] of selfUs) {
    const { functionName, url, lineNumber } = byId.get(id)!.callFrame;
    const short = url.replace(/^.*node_modules\//, '').replace(/^.*\/dist\/server\//, '');
    const key = `${functionName || '(anonymous)'} ${short ? `${short}:${lineNumber + 1}` : ''}`.trim();
    byFunction.set(key, (byFunction.get(key) ?? 0) + us);
    const from = whereFrom(url);
    byPackage.set(from, (byPackage.get(from) ?? 0) + us);
  }
  const table = (title: string, entries: Map<string, number>, limit: number) => {
    console.log(`\n| ${title} | self ms | % |\n| --- | --- | --- |`);
    for (const [key, us] of [...entries].sort((a, b) => b[1] - a[1]).slice(0, limit)) {
      console.log(`| ${key} | ${(us / 1000).toFixed(0)} | ${((us / total) * 100).toFixed(1)} |`);
    }
  };
  console.log(`${file}: ${(total / 1000).toFixed(0)} ms sampled after the first ${skip} s`);
  table('function', byFunction, Number(top));
  table('package', byPackage, 15);
}

main();
