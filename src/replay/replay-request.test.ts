import { describe, expect, it } from 'vitest';
import { configSchema } from '../config/config-schema.ts';
import {
  configuredDestinations,
  dedupNote,
  describeSelection,
  eventCountLines,
  replaySelection,
  unknownDestination,
} from './replay-request.ts';

const day = Date.parse('2026-01-01T00:00:00Z');
const nextDay = Date.parse('2026-01-02T00:00:00Z');

describe('what a replay selects', () => {
  it('takes dead letters (all, or by id) when given neither a window nor orders, as replay always did', () => {
    expect(replaySelection({ destination: 'segment' })).toEqual({ ok: true, selection: { destination: 'segment', include: 'dead' } });
    expect(replaySelection({ destination: 'segment', ids: [4, 7], since: undefined })).toEqual({
      ok: true, selection: { destination: 'segment', include: 'dead', ids: [4, 7] },
    });
  });

  it('takes delivered and dead messages of a window or of orders', () => {
    expect(replaySelection({ destination: 'tiktok', since: day, until: nextDay })).toEqual({
      ok: true, selection: { destination: 'tiktok', include: 'settled', since: day, until: nextDay },
    });
    expect(replaySelection({ destination: 'tiktok', orderIds: ['820982911946154508'] })).toEqual({
      ok: true, selection: { destination: 'tiktok', include: 'settled', orderIds: ['820982911946154508'] },
    });
    expect(replaySelection({ destination: 'tiktok', until: nextDay })).toMatchObject({ selection: { include: 'settled', until: nextDay } });
  });

  it.each([
    [{ since: nextDay, until: day }, 'until', 'must be later than since'],
    [{ since: day, until: day }, 'until', 'must be later than since'],
    [{ orderIds: [] }, 'orderIds', 'name at least one order id'],
    [{ ids: [1], since: day }, 'ids', 'picks dead letters by id; leave out since, until and the order ids'],
    [{ ids: [1], orderIds: ['1'] }, 'ids', 'picks dead letters by id; leave out since, until and the order ids'],
  ])('refuses %j, naming the field', (request, field, problem) => {
    expect(replaySelection({ destination: 'segment', ...request })).toEqual({ ok: false, field, problem });
  });
});

describe('destinations a replay can reach', () => {
  it('are the configured ones, the privacy regulations destination included when it is set up', () => {
    const config = configSchema.parse({
      destinations: { segment: { writeKey: 'wk' }, warehouse: {} },
      privacy: { segmentPublicApi: { token: 'sgp' } },
    });
    expect(configuredDestinations(config)).toEqual(['segment', 'warehouse', 'segment-regulations']);
    expect(configuredDestinations(configSchema.parse({}))).toEqual([]);
  });

  it('names the configured ones when another is asked for', () => {
    expect(unknownDestination('segment', ['segment', 'tiktok'])).toBeNull();
    expect(unknownDestination('segmnt', ['segment', 'tiktok'])).toBe('no destination "segmnt" is configured (configured: segment, tiktok)');
    expect(unknownDestination('segment', [])).toBe('no destination is configured, so nothing can be replayed to "segment"');
  });
});

describe('saying what a replay does', () => {
  it('describes the selection in words', () => {
    expect(describeSelection({ destination: 'segment', include: 'dead' })).toBe('dead letters of segment');
    expect(describeSelection({ destination: 'segment', include: 'dead', ids: [4, 7] })).toBe('dead letters #4, #7 of segment');
    expect(describeSelection({ destination: 'tiktok', include: 'settled', since: day, until: nextDay, orderIds: ['5'] }))
      .toBe('delivered or dead tiktok messages received from 2026-01-01T00:00:00.000Z to 2026-01-02T00:00:00.000Z about order 5');
    expect(describeSelection({ destination: 'tiktok', include: 'settled', since: day })).toBe('delivered or dead tiktok messages received since 2026-01-01T00:00:00.000Z');
    expect(describeSelection({ destination: 'tiktok', include: 'settled', until: day, orderIds: ['5', '6'] }))
      .toBe('delivered or dead tiktok messages received before 2026-01-01T00:00:00.000Z about orders 5, 6');
  });

  it('cautions when delivered messages may be older than the destination drops repeats for', () => {
    const now = nextDay + 3_600_000;
    expect(dedupNote({ destination: 'segment', include: 'settled', since: day }, now)).toBe(
      'note: segment drops a repeated messageId only within about 24 hours: delivered messages older than that which it did keep will be counted twice',
    );
    expect(dedupNote({ destination: 'tiktok', include: 'settled', since: day }, now)).toBeNull(); // within 48 h
    expect(dedupNote({ destination: 'tiktok', include: 'settled', orderIds: ['5'] }, now)).toContain('tiktok drops');
    expect(dedupNote({ destination: 'segment', include: 'dead' }, now)).toBeNull(); // never delivered
    expect(dedupNote({ destination: 'warehouse', include: 'settled', since: day }, now)).toBeNull(); // keyed on the messageId
  });

  it('lists the counts per event, names aligned', () => {
    const byEvent = [{ eventName: 'Order Completed', count: 12 }, { eventName: 'identify', count: 3 }];
    expect(eventCountLines({ count: 15, byEvent, ids: [] })).toStrictEqual(['  Order Completed  12', '  identify         3']);
  });
});
