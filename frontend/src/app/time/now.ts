import { DestroyRef, Injectable, inject, signal } from '@angular/core';

/** The current time as a signal, ticking each second, so relative times ("in 3 s") stay true. */
@Injectable({ providedIn: 'root' })
export class Now {
  readonly value = signal(Date.now());

  constructor() {
    const timer = setInterval(() => this.value.set(Date.now()), 1000);
    inject(DestroyRef).onDestroy(() => clearInterval(timer));
  }
}
