import {
  LAG_HISTOGRAM_BOUNDS_MS,
  addHistograms,
  emptyLagHistogram,
  lagCell,
  lagQuantile,
} from './lag-histogram';

describe('the lag histogram', () => {
  it('puts a lag in the first cell whose bound holds it', () => {
    expect(lagCell(-20)).toBe(0);
    expect(lagCell(5)).toBe(0);
    expect(lagCell(6)).toBe(1);
    expect(lagCell(100)).toBe(LAG_HISTOGRAM_BOUNDS_MS.indexOf(100));
    expect(lagCell(10_000_000)).toBe(LAG_HISTOGRAM_BOUNDS_MS.length);
  });

  it('estimates quantiles within the cell, never above the maximum', () => {
    const histogram = emptyLagHistogram();
    for (let lag = 1; lag <= 100; lag++) histogram[lagCell(lag)]++;
    const p50 = lagQuantile(histogram, 0.5, 100)!;
    const p99 = lagQuantile(histogram, 0.99, 100)!;
    expect(p50).toBeGreaterThanOrEqual(25);
    expect(p50).toBeLessThanOrEqual(50);
    expect(p99).toBeGreaterThan(p50);
    expect(p99).toBeLessThanOrEqual(100);
    expect(lagQuantile(emptyLagHistogram(), 0.5, 0)).toBeNull();
    const overflow = emptyLagHistogram();
    overflow[lagCell(900_000)]++;
    expect(lagQuantile(overflow, 0.99, 900_000)).toBe(900_000);
  });

  it('adds histograms cell by cell', () => {
    const a = emptyLagHistogram();
    a[0] = 2;
    const b = emptyLagHistogram();
    b[0] = 3;
    b[4] = 1;
    expect(addHistograms(a, b).slice(0, 5)).toEqual([5, 0, 0, 0, 1]);
  });
});
