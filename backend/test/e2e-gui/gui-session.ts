import type { Page } from 'playwright-core';
import { launchBrowser, type TestBrowser } from './browser';
import { type GuiApp, startGuiApp } from './gui-app';

export interface GuiSession {
  readonly kairos: GuiApp;
  readonly browser: TestBrowser;
  readonly page: Page;
}

/**
 * Kairos and a Chromium page for one spec file: started before its tests, closed after them. Call it in
 * the `describe` body; read the fields inside the tests (they exist once beforeAll has run).
 */
export function guiSession(): GuiSession {
  const session = {} as { kairos: GuiApp; browser: TestBrowser; page: Page };
  beforeAll(async () => {
    session.kairos = await startGuiApp();
    session.browser = await launchBrowser();
    session.page = await session.browser.newPage();
  });
  afterAll(async () => {
    await session.browser?.close();
    await session.kairos?.close();
  });
  return session;
}
