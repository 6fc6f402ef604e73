import { renderComponent, setUpComponentTest } from '../testing/component-test';
import { App } from './app';
import type { FakeLiveConnection } from './live/fake-live-connection';

describe('App shell', () => {
  let live: FakeLiveConnection;

  beforeEach(() => {
    ({ live } = setUpComponentTest(App));
  });

  it('offers a skip link, the main navigation and the connection state', async () => {
    const { fixture, page } = await renderComponent(App);
    expect(page.querySelector('.skip-link')?.getAttribute('href')).toBe('#main');
    const links = [...page.querySelectorAll('nav a')].map((a) => a.textContent?.trim());
    expect(links).toEqual(['Tasks', 'Calendars', 'Dashboard']);
    expect(page.querySelector('[role=status]')?.textContent).toContain('Live');

    live.state.set('reconnecting');
    await fixture.whenStable();
    expect(page.querySelector('[role=status]')?.textContent).toContain('Reconnecting');
  });
});
