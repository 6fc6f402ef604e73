import { rmSync } from 'node:fs';
import { loadResults, renderTable, RESULTS_FILE, writeResultsFile } from './fault-report';

/** Prints the fault table of the cases that ran, and merges them into bench/results/faults.json. */
export default async function globalTeardown(): Promise<void> {
  const dir = process.env.KAIROS_FAULTS_RUN_DIR;
  if (!dir) return;
  const results = loadResults(dir);
  rmSync(dir, { recursive: true, force: true });
  if (results.length === 0) return;
  writeResultsFile(results);
  console.log(`\nFault table (also in ${RESULTS_FILE}):\n\n${renderTable(results)}\n`);
}
