import { Client } from 'pg';

/** A fresh, empty database on the run's cluster, so suites never see each other's data. */
export async function createTestDatabase(prefix = 'test'): Promise<string> {
  const baseUrl = process.env.KAIROS_TEST_DATABASE_URL;
  if (!baseUrl)
    throw new Error('KAIROS_TEST_DATABASE_URL is not set: run the tests through jest (globalSetup)');
  const name = `${prefix}_${process.pid}_${Math.random().toString(36).slice(2, 10)}`;
  const admin = new Client({ connectionString: baseUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE "${name}"`);
  } finally {
    await admin.end();
  }
  const url = new URL(baseUrl);
  url.pathname = `/${name}`;
  return url.toString();
}
