import type { DestinationLimits } from '../destinations/destination.ts';

/**
 * Bytes a batch request adds around its events: `{"batch":[` … `],"sentAt":"<24-char ISO time>"}`.
 * Commas between events are counted separately.
 */
export const batchEnvelopeBytes = Buffer.byteLength('{"batch":[],"sentAt":"2000-01-01T00:00:00.000Z"}');

export interface TooLarge<T> {
  row: T;
  bytes: number;
}

export interface PackedBatches<T> {
  /** In the rows' order; each within maxBatchEvents and, envelope and commas included, maxBatchBytes. */
  batches: T[][];
  /** Rows that can never be sent: over maxEventBytes, or too big for even a batch of one. */
  tooLarge: TooLarge<T>[];
}

/** Pure: packs rows greedily, in order, into as few batches as the limits allow. */
export function packBatches<T extends { payload: string }>(
  rows: readonly T[],
  limits: DestinationLimits,
  envelopeBytes: number = batchEnvelopeBytes,
): PackedBatches<T> {
  const batches: T[][] = [];
  const tooLarge: TooLarge<T>[] = [];
  let current: T[] = [];
  let currentBytes = envelopeBytes;
  for (const row of rows) {
    const bytes = Buffer.byteLength(row.payload);
    if (bytes > limits.maxEventBytes || envelopeBytes + bytes > limits.maxBatchBytes) {
      tooLarge.push({ row, bytes });
      continue;
    }
    const added = current.length === 0 ? bytes : bytes + 1; // the comma before it
    if (current.length >= limits.maxBatchEvents || currentBytes + added > limits.maxBatchBytes) {
      batches.push(current);
      current = [];
      currentBytes = envelopeBytes;
    }
    currentBytes += current.length === 0 ? bytes : bytes + 1;
    current.push(row);
  }
  if (current.length > 0) batches.push(current);
  return { batches, tooLarge };
}

/** The dead-letter reason for an event too large to ever send. */
export function tooLargeReason(destination: string, bytes: number, limits: DestinationLimits): string {
  if (bytes > limits.maxEventBytes) {
    return `event is ${bytes} bytes, over ${destination}'s ${formatKb(limits.maxEventBytes)} limit per event`;
  }
  return `event is ${bytes} bytes, too large for a ${formatKb(limits.maxBatchBytes)} batch request`;
}

function formatKb(bytes: number): string {
  return bytes % 1024 === 0 ? `${bytes / 1024} KB` : `${bytes} bytes`;
}
