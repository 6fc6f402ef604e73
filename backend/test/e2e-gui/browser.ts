import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { type BrowserContext, chromium, type Page } from 'playwright-core';

/** Screenshots for people to look at; git-ignored. */
export const ARTIFACTS = resolve(__dirname, '../../../.test-artifacts/gui');

export interface TestBrowser {
  context: BrowserContext;
  newPage(width?: number): Promise<Page>;
  /** What the pages threw, or logged as errors on the console, so far: every spec ends asserting none. */
  errors(): readonly string[];
  close(): Promise<void>;
}

/** Headless Chromium (the system's) with a fresh profile, so no earlier run's state leaks in. */
export async function launchBrowser(): Promise<TestBrowser> {
  const profile = await mkdtemp(join(tmpdir(), 'kairos-chromium-'));
  await mkdir(ARTIFACTS, { recursive: true });
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
    viewport: { width: 1440, height: 900 },
    timezoneId: 'Europe/Berlin',
    locale: 'en-GB',
  });
  const errors: string[] = [];
  return {
    context,
    async newPage(width = 1440) {
      const page = await context.newPage();
      page.setDefaultTimeout(8000);
      await page.setViewportSize({ width, height: 900 });
      page.on('pageerror', (error) => errors.push(error.message));
      // The app's own errors (Angular reports NG0xxx and failed handlers on the console). A response the
      // server refused (a 400 or 412 a test provokes) is logged by Chromium itself: not the app's.
      page.on('console', (message) => {
        if (message.type() === 'error' && !message.text().startsWith('Failed to load resource'))
          errors.push(`console: ${message.text()} (${page.url()})`);
      });
      return page;
    },
    errors: () => errors,
    async close() {
      await context.close();
      await rm(profile, { recursive: true, force: true });
    },
  };
}

export async function screenshot(page: Page, name: string): Promise<void> {
  // From the top with nothing focused, so the sticky header and focus rings sit where a person sees them.
  // (A string: this runs in the page, and the server's TypeScript has no DOM types.)
  await page.evaluate('document.activeElement?.blur(); window.scrollTo(0, 0)');
  await page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });
}
