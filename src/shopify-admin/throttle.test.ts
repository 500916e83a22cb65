import { describe, expect, it } from 'vitest';
import { pointsAvailable, queryCostOf, waitForPoints } from './throttle.ts';

const status = { maximumAvailable: 1000, currentlyAvailable: 100, restoreRate: 50 };

describe('query cost throttle', () => {
  it('refills the bucket at the restore rate, never above its maximum', () => {
    expect(pointsAvailable(status, 0, 0)).toBe(100);
    expect(pointsAvailable(status, 0, 2_000)).toBe(200);
    expect(pointsAvailable(status, 0, 60_000)).toBe(1000);
  });

  it('waits exactly until the bucket holds the requested cost', () => {
    expect(waitForPoints(status, 0, 0, 80)).toBe(0);
    expect(waitForPoints(status, 0, 0, 352)).toBe(5_040);
    expect(waitForPoints(status, 0, 1_000, 352)).toBe(4_040);
  });

  it('reads the cost report Shopify puts in extensions, and nothing else', () => {
    const extensions = { cost: { requestedQueryCost: 752, actualQueryCost: null, throttleStatus: { maximumAvailable: 1000.0, currentlyAvailable: 666, restoreRate: 50.0 } } };
    expect(queryCostOf(extensions)).toStrictEqual(extensions.cost);
    expect(queryCostOf({})).toBeUndefined();
    expect(queryCostOf(undefined)).toBeUndefined();
  });
});
