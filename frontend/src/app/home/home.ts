import { ChangeDetectionStrategy, Component } from '@angular/core';

/** Placeholder landing page, lazy-loaded on the empty route; the scheduler views will replace it. */
@Component({
  selector: 'app-home',
  templateUrl: './home.html',
  styleUrl: './home.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class Home {}
