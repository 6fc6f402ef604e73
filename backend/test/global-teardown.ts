import type { TestServer } from './test-servers';

export default async function globalTeardown(): Promise<void> {
  const servers = (globalThis as { __kairosTestServers?: TestServer[] }).__kairosTestServers ?? [];
  await Promise.all(servers.map((server) => server.stop()));
}
