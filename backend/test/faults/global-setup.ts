import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { builtServerEntry } from './server-build';

/**
 * Builds the server once for the run (each case starts its own PostgreSQL, Redis and Kairos
 * processes), and makes the directory where each case leaves its result for the table.
 * KAIROS_FAULTS_SERVER_ENTRY, when set, names another built main.js to break instead (e.g. an older
 * commit's, to see the suite catch what was fixed since).
 */
export default async function globalSetup(): Promise<void> {
  process.env.KAIROS_FAULTS_SERVER_ENTRY ||= builtServerEntry();
  process.env.KAIROS_FAULTS_RUN_DIR = mkdtempSync(join(tmpdir(), 'kairos-faults-run-'));
}
