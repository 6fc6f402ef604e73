import {
  ChangeDetectionStrategy,
  Component,
  DestroyRef,
  ElementRef,
  afterNextRender,
  effect,
  inject,
  input,
} from '@angular/core';
import { BarChart, LineChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import { type ECharts, type EChartsCoreOption, init, use } from 'echarts/core';
import { SVGRenderer } from 'echarts/renderers';

// Only the parts the dashboard draws, so the chart chunk stays small.
use([BarChart, LineChart, GridComponent, LegendComponent, TooltipComponent, SVGRenderer]);

/** An ECharts chart that follows its `options`, its size, and the light or dark colour scheme. */
@Component({
  selector: 'app-chart',
  template: '',
  styles: `
    :host {
      display: block;
      height: 260px;
    }
  `,
  host: { role: 'img', '[attr.aria-label]': 'label()' },
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class Chart {
  readonly options = input.required<EChartsCoreOption>();
  /** What the chart shows, for screen readers (the numbers are also in the tables beside it). */
  readonly label = input.required<string>();

  private chart: ECharts | undefined;

  constructor() {
    const host = inject<ElementRef<HTMLElement>>(ElementRef).nativeElement;
    // Taken here: a render callback runs outside the injection context (inject() there is NG0203).
    const destroyed = inject(DestroyRef);
    afterNextRender(() => {
      const dark = matchMedia?.('(prefers-color-scheme: dark)').matches ?? false;
      this.chart = init(host, dark ? 'dark' : undefined, { renderer: 'svg' });
      this.chart.setOption({ backgroundColor: 'transparent', ...this.options() });
      const resize = new ResizeObserver(() => this.chart?.resize());
      resize.observe(host);
      destroyed.onDestroy(() => resize.disconnect());
    });
    effect(() => {
      const options = this.options();
      this.chart?.setOption({ backgroundColor: 'transparent', ...options }, { notMerge: true });
    });
    destroyed.onDestroy(() => this.chart?.dispose());
  }
}
