import { heapGrowthFlag } from './heap-growth';

describe('heap growth', () => {
  it('caps the growth when node was given no flag of its own', () => {
    expect(heapGrowthFlag(['--enable-source-maps'], '--max-old-space-size=4096')).toBe(
      '--heap-growing-percent=50',
    );
    expect(heapGrowthFlag([])).toBe('--heap-growing-percent=50');
  });

  it("leaves it to an operator's own flag, on the command line or in NODE_OPTIONS", () => {
    expect(heapGrowthFlag(['--heap-growing-percent=300'])).toBeUndefined();
    expect(heapGrowthFlag([], '--trace-gc  --heap-growing-percent=75')).toBeUndefined();
  });
});
