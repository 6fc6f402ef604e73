import { ChangeDetectionStrategy, Component, computed, inject } from '@angular/core';
import { LiveConnection } from '../live-connection';

const LABELS = {
  connecting: 'Connecting…',
  connected: 'Live',
  reconnecting: 'Reconnecting…',
  unauthorized: 'Not signed in',
} as const;

/** Whether the page is live: a dot and a word, announced politely to screen readers when it changes. */
@Component({
  selector: 'app-connection-status',
  template: `<span class="status" [class]="state()" role="status" aria-live="polite" [title]="title()">
    <span class="dot" aria-hidden="true"></span>{{ label() }}
  </span>`,
  styles: `
    .status {
      display: inline-flex;
      align-items: center;
      gap: 0.4rem;
      font: var(--mat-sys-label-large);
      white-space: nowrap;
    }
    .dot {
      width: 0.6rem;
      height: 0.6rem;
      border-radius: 50%;
      background: #9aa5b1;
    }
    .connected .dot {
      background: #2f9e57;
    }
    .reconnecting .dot,
    .connecting .dot {
      background: #e0a100;
      animation: pulse 1.2s ease-in-out infinite;
    }
    .unauthorized .dot {
      background: #c43d3d;
    }
    @keyframes pulse {
      50% {
        opacity: 0.3;
      }
    }
    @media (prefers-reduced-motion: reduce) {
      .dot {
        animation: none !important;
      }
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class ConnectionStatus {
  private readonly live = inject(LiveConnection);
  protected readonly state = this.live.state;
  protected readonly label = computed(() => LABELS[this.state()]);
  protected readonly title = computed(() =>
    this.state() === 'connected'
      ? 'Changes appear as they happen'
      : 'Not receiving live changes; the page re-syncs once connected',
  );

  constructor() {
    this.live.connect();
  }
}
