/** A min-heap of scheduled events by time; ties keep insertion order, so the output is deterministic. */
export interface EventQueue<T> {
  push(atMs: number, item: T): void;
  peekTime(): number | undefined;
  pop(): T | undefined;
  readonly size: number;
}

interface Entry<T> {
  atMs: number;
  seq: number;
  item: T;
}

export function createEventQueue<T>(): EventQueue<T> {
  const heap: Entry<T>[] = [];
  let seq = 0;
  const before = (a: Entry<T>, b: Entry<T>): boolean => a.atMs < b.atMs || (a.atMs === b.atMs && a.seq < b.seq);
  const swap = (i: number, j: number): void => {
    const tmp = heap[i] as Entry<T>;
    heap[i] = heap[j] as Entry<T>;
    heap[j] = tmp;
  };
  const siftUp = (start: number): void => {
    for (let i = start; i > 0; ) {
      const parent = (i - 1) >> 1;
      if (!before(heap[i] as Entry<T>, heap[parent] as Entry<T>)) return;
      swap(i, parent);
      i = parent;
    }
  };
  const siftDown = (start: number): void => {
    for (let i = start; ; ) {
      const [l, r] = [2 * i + 1, 2 * i + 2];
      let least = i;
      if (l < heap.length && before(heap[l] as Entry<T>, heap[least] as Entry<T>)) least = l;
      if (r < heap.length && before(heap[r] as Entry<T>, heap[least] as Entry<T>)) least = r;
      if (least === i) return;
      swap(i, least);
      i = least;
    }
  };
  return {
    push(atMs, item) {
      heap.push({ atMs, seq: seq++, item });
      siftUp(heap.length - 1);
    },
    peekTime: () => heap[0]?.atMs,
    pop() {
      const top = heap[0];
      const last = heap.pop();
      if (top && last && heap.length > 0) {
        heap[0] = last;
        siftDown(0);
      }
      return top?.item;
    },
    get size() {
      return heap.length;
    },
  };
}
