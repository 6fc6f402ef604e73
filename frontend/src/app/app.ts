import { ChangeDetectionStrategy, Component, inject } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatToolbarModule } from '@angular/material/toolbar';
import { RouterLink, RouterLinkActive, RouterOutlet } from '@angular/router';
import { ApiToken } from './api/api-token';
import { ConnectionStatus } from './live/connection-status/connection-status';

@Component({
  selector: 'app-root',
  imports: [RouterOutlet, RouterLink, RouterLinkActive, MatToolbarModule, MatButtonModule, ConnectionStatus],
  templateUrl: './app.html',
  styleUrl: './app.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class App {
  protected readonly token = inject(ApiToken);

  protected saveToken(input: HTMLInputElement): void {
    const value = input.value.trim();
    if (!value) return;
    this.token.set(value);
    // Everything on the page was refused; load it again with the token.
    location.reload();
  }
}
