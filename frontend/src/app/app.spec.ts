import { provideHttpClient } from '@angular/common/http';
import { provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import { App } from './app';
import { FakeLiveConnection } from './live/fake-live-connection';
import { LiveConnection } from './live/live-connection';

describe('App shell', () => {
  let live: FakeLiveConnection;

  beforeEach(() => {
    TestBed.configureTestingModule({
      imports: [App],
      providers: [
        provideRouter([]),
        provideHttpClient(),
        provideHttpClientTesting(),
        { provide: LiveConnection, useClass: FakeLiveConnection },
      ],
    });
    live = TestBed.inject(LiveConnection) as unknown as FakeLiveConnection;
  });

  it('offers a skip link, the main navigation and the connection state', async () => {
    const fixture = TestBed.createComponent(App);
    await fixture.whenStable();
    const page = fixture.nativeElement as HTMLElement;
    expect(page.querySelector('.skip-link')?.getAttribute('href')).toBe('#main');
    const links = [...page.querySelectorAll('nav a')].map((a) => a.textContent?.trim());
    expect(links).toEqual(['Tasks', 'Dashboard']);
    expect(page.querySelector('[role=status]')?.textContent).toContain('Live');

    live.state.set('reconnecting');
    await fixture.whenStable();
    expect(page.querySelector('[role=status]')?.textContent).toContain('Reconnecting');
  });
});
