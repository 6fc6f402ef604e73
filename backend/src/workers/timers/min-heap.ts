/** A binary min-heap ordered by `key`: the timer actors keep their due occurrences in one. */
export class MinHeap<T> {
  private readonly items: T[] = [];

  constructor(private readonly key: (item: T) => number) {}

  get size(): number {
    return this.items.length;
  }

  peek(): T | undefined {
    return this.items[0];
  }

  push(item: T): void {
    const items = this.items;
    items.push(item);
    let i = items.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (this.key(items[parent]) <= this.key(items[i])) break;
      [items[parent], items[i]] = [items[i], items[parent]];
      i = parent;
    }
  }

  pop(): T | undefined {
    const items = this.items;
    const top = items[0];
    const last = items.pop();
    if (items.length > 0 && last !== undefined) {
      items[0] = last;
      let i = 0;
      for (;;) {
        const left = 2 * i + 1;
        const right = left + 1;
        let smallest = i;
        if (left < items.length && this.key(items[left]) < this.key(items[smallest])) smallest = left;
        if (right < items.length && this.key(items[right]) < this.key(items[smallest])) smallest = right;
        if (smallest === i) break;
        [items[smallest], items[i]] = [items[i], items[smallest]];
        i = smallest;
      }
    }
    return top;
  }

  /** Every item, left in place (unordered). */
  values(): readonly T[] {
    return this.items;
  }

  /** Every item whose key is at most `limit`, left in place (unordered). */
  peekUpTo(limit: number): T[] {
    return this.items.filter((item) => this.key(item) <= limit);
  }

  /** How many items have a key of at most `limit`: visits only those and their children. */
  countUpTo(limit: number): number {
    let count = 0;
    const stack = this.items.length > 0 ? [0] : [];
    while (stack.length > 0) {
      const i = stack.pop() as number;
      if (i >= this.items.length || this.key(this.items[i]) > limit) continue;
      count++;
      stack.push(2 * i + 1, 2 * i + 2);
    }
    return count;
  }

  /** Removes and returns every item whose key is at most `limit`, in key order. */
  popUpTo(limit: number): T[] {
    const out: T[] = [];
    while (this.items.length > 0 && this.key(this.items[0]) <= limit) out.push(this.pop() as T);
    return out;
  }
}
