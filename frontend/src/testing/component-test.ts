import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import type { Type } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import { FakeLiveConnection } from '../app/live/fake-live-connection';
import { LiveConnection } from '../app/live/live-connection';

/**
 * The TestBed of a GUI component test: the component, an empty router, HTTP the test answers and a
 * live connection whose messages the test pushes. Call it in beforeEach, after any overrideComponent.
 */
export function setUpComponentTest(component: Type<unknown>): {
  http: HttpTestingController;
  live: FakeLiveConnection;
} {
  TestBed.configureTestingModule({
    imports: [component],
    providers: [
      provideRouter([]),
      provideHttpClient(),
      provideHttpClientTesting(),
      { provide: LiveConnection, useClass: FakeLiveConnection },
    ],
  });
  return {
    http: TestBed.inject(HttpTestingController),
    live: TestBed.inject(LiveConnection) as unknown as FakeLiveConnection,
  };
}

/** Creates the component with these inputs, once it is stable; `page` is its element. */
export async function renderComponent<T>(component: Type<T>, inputs: Record<string, unknown> = {}) {
  const fixture = TestBed.createComponent(component);
  for (const [name, value] of Object.entries(inputs)) fixture.componentRef.setInput(name, value);
  await fixture.whenStable();
  return { fixture, ref: fixture.componentRef, page: fixture.nativeElement as HTMLElement };
}

/** The button whose text is `text`, if the page shows one. */
export function buttonNamed(page: HTMLElement, text: string): HTMLButtonElement | undefined {
  return [...page.querySelectorAll('button')].find((b) => b.textContent?.trim() === text);
}
