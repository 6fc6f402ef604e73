import { ChangeDetectionStrategy, Component, computed, inject, input } from '@angular/core';
import { formatAbsolute, formatRelative } from './instants';
import { Now } from './now';

/** An instant shown relative ("in 3 s") with the absolute time beside it (or only on hover when compact). */
@Component({
  selector: 'app-when',
  template: `@if (at(); as at) {
      <time [attr.datetime]="at" [title]="absolute()">
        {{ relative() }}
        @if (!compact()) {
          <span class="absolute">{{ absolute() }}</span>
        }
      </time>
    } @else {
      <span class="muted">{{ empty() }}</span>
    }`,
  styles: `
    .absolute {
      display: block;
      color: var(--mat-sys-on-surface-variant);
      font: var(--mat-sys-body-small);
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class When {
  private readonly now = inject(Now);
  readonly at = input<string | null | undefined>(null);
  readonly timeZone = input<string | undefined>(undefined);
  readonly compact = input(false);
  readonly empty = input('–');

  protected readonly relative = computed(() => formatRelative(this.at() ?? 0, this.now.value()));
  protected readonly absolute = computed(() => formatAbsolute(this.at() ?? 0, this.timeZone()));
}
