import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { DestinationLimits } from '../destinations/destination.ts';
import { batchEnvelopeBytes, packBatches, tooLargeReason } from './batcher.ts';

interface Row {
  id: number;
  payload: string;
}

const segmentLimits: DestinationLimits = { maxBatchEvents: 500, maxBatchBytes: 500_000, maxEventBytes: 32 * 1024 };

function rowsOf(sizes: number[]): Row[] {
  return sizes.map((size, id) => ({ id, payload: 'x'.repeat(size) }));
}

/** The exact request body size the Segment destination builds for a batch. */
function requestBytes(batch: Row[]): number {
  return Buffer.byteLength(`{"batch":[${batch.map((row) => row.payload).join(',')}],"sentAt":"${new Date().toISOString()}"}`);
}

describe('packBatches', () => {
  it('fills batches up to the event count, in order', () => {
    const { batches, tooLarge } = packBatches(rowsOf(Array(5).fill(10)), { ...segmentLimits, maxBatchEvents: 2 });
    expect(batches.map((batch) => batch.map((row) => row.id))).toStrictEqual([[0, 1], [2, 3], [4]]);
    expect(tooLarge).toStrictEqual([]);
  });

  it('counts the envelope and the commas against the byte limit', () => {
    // Two 100-byte events need envelope + 201 bytes; one byte less and they must go apart.
    const limits = { ...segmentLimits, maxBatchBytes: batchEnvelopeBytes + 201 };
    expect(packBatches(rowsOf([100, 100]), limits).batches).toHaveLength(1);
    expect(packBatches(rowsOf([100, 100]), { ...limits, maxBatchBytes: limits.maxBatchBytes - 1 }).batches).toHaveLength(2);
  });

  it('counts bytes, not characters', () => {
    const rows = [{ id: 0, payload: 'é'.repeat(50) }, { id: 1, payload: 'é'.repeat(50) }];
    expect(packBatches(rows, { ...segmentLimits, maxBatchBytes: batchEnvelopeBytes + 150 }).batches).toHaveLength(2);
  });

  it('sets aside events over 32 KB with their size, and keeps the rest flowing', () => {
    const { batches, tooLarge } = packBatches(rowsOf([10, 40_000, 10]), segmentLimits);
    expect(batches.map((batch) => batch.map((row) => row.id))).toStrictEqual([[0, 2]]);
    expect(tooLarge.map(({ row, bytes }) => [row.id, bytes])).toStrictEqual([[1, 40_000]]);
    expect(tooLargeReason('segment', 40_000, segmentLimits)).toBe("event is 40000 bytes, over segment's 32 KB limit per event");
  });

  it('property: every batch fits the limits, every row lands in exactly one place, order is kept', () => {
    const limitsArb = fc.record({
      maxBatchEvents: fc.integer({ min: 1, max: 20 }),
      maxBatchBytes: fc.integer({ min: batchEnvelopeBytes + 1, max: 2000 }),
      maxEventBytes: fc.integer({ min: 1, max: 1500 }),
    });
    const payloadArb = fc.string({ unit: fc.constantFrom('a', 'é', '€', '😀', '"'), maxLength: 400 });
    fc.assert(fc.property(limitsArb, fc.array(payloadArb, { maxLength: 80 }), (limits, payloads) => {
      const rows = payloads.map((payload, id) => ({ id, payload }));
      const { batches, tooLarge } = packBatches(rows, limits);
      for (const batch of batches) {
        expect(batch.length).toBeGreaterThan(0);
        expect(batch.length).toBeLessThanOrEqual(limits.maxBatchEvents);
        expect(requestBytes(batch)).toBeLessThanOrEqual(limits.maxBatchBytes);
        for (const row of batch) expect(Buffer.byteLength(row.payload)).toBeLessThanOrEqual(limits.maxEventBytes);
      }
      for (const { row, bytes } of tooLarge) {
        expect(bytes).toBe(Buffer.byteLength(row.payload));
        expect(bytes > limits.maxEventBytes || requestBytes([row]) > limits.maxBatchBytes).toBe(true);
      }
      const sent = batches.flat().map((row) => row.id);
      expect(sent).toStrictEqual([...sent].sort((a, b) => a - b));
      expect([...sent, ...tooLarge.map(({ row }) => row.id)].sort((a, b) => a - b)).toStrictEqual(rows.map((row) => row.id));
    }), { numRuns: 300 });
  });
});
