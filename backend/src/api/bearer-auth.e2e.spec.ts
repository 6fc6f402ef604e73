import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startTestApp, type TestApp } from '../../test/test-app';

const TOKEN = 'a-test-token-of-32-characters-xx';
const body = {
  name: 'auth',
  schedule: { kind: 'interval', everySeconds: 60 },
  action: { kind: 'log', message: 'x' },
};

describe('bearer token auth', () => {
  describe('with KAIROS_API_TOKEN set', () => {
    let api: TestApp;
    beforeAll(async () => {
      api = await startTestApp({ KAIROS_API_TOKEN: TOKEN });
    });
    afterAll(() => api.close());

    it('refuses /api without a token, or with a wrong one, as 401 problem+json', async () => {
      for (const headers of [{}, { authorization: 'Bearer wrong-token' }, { authorization: TOKEN }] as Record<
        string,
        string
      >[]) {
        const response = await api.request('POST', '/api/tasks', { body, headers });
        expect(response.status).toBe(401);
        expect(response.headers.get('www-authenticate')).toContain('Bearer');
        expect(response.body).toMatchObject({ status: 401, code: 'unauthorized' });
      }
    });

    it('accepts the right token', async () => {
      const response = await api.request('POST', '/api/tasks', {
        body,
        headers: { authorization: `Bearer ${TOKEN}` },
      });
      expect(response.status).toBe(201);
    });

    it('leaves health probes open', async () => {
      expect((await api.request('GET', '/health/live')).status).toBe(200);
    });
  });

  describe('without a token', () => {
    let api: TestApp;
    beforeAll(async () => {
      api = await startTestApp();
    });
    afterAll(() => api.close());

    it('accepts requests on loopback', async () => {
      expect((await api.request('POST', '/api/tasks', { body })).status).toBe(201);
    });

    it('serves the OpenAPI document generated from the DTOs', async () => {
      const response = await api.request('GET', '/api/docs/openapi.json');
      expect(response.status).toBe(200);
      expect(Object.keys(response.body.paths)).toEqual(
        expect.arrayContaining([
          '/api/tasks',
          '/api/tasks/{id}',
          '/api/tasks/batch',
          '/api/tasks/{id}/pause',
          '/api/tasks/{id}/events',
        ]),
      );
      expect(response.body.components.schemas.CronSchedule.properties.expression).toBeDefined();
      // The committed contract (npm run contract) is the document this server serves, to the letter.
      const contract: unknown = JSON.parse(
        readFileSync(join(__dirname, '../../../contracts/openapi.json'), 'utf8'),
      );
      expect(response.body).toEqual(contract);
    });
  });
});
