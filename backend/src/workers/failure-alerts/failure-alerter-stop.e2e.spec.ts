import { startTestApp } from '../../../test/test-app';

describe('failure alerter shutdown (e2e)', () => {
  // A stop that came while the alerter was still migrating used to go unheard: the process never closed.
  it('lets a projector stopped right after its start close at once', async () => {
    const api = await startTestApp({}, { roles: 'api,projector' });
    const closing = Date.now();
    await api.close();
    expect(Date.now() - closing).toBeLessThan(10_000);
  });
});
