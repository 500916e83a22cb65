import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSegmentPublicApi, type SegmentPublicApi } from '../../local-sink/segment-public-api.ts';
import { createSegmentRegulationsDestination, regulationBody, segmentRegulationsSettingsSchema } from './index.ts';

const token = 'public-api-token';

describe("Segment regulations through the Public API (local server enforcing Segment's rules)", () => {
  let api: SegmentPublicApi;
  beforeAll(async () => {
    api = await startSegmentPublicApi({ token });
  });
  afterAll(async () => {
    await api.close();
  });

  const destination = (withToken = token) =>
    createSegmentRegulationsDestination(segmentRegulationsSettingsSchema.parse({ token: withToken, endpoint: api.url }));

  it('files SUPPRESS_WITH_DELETE for the userIds, one request per queued regulation', async () => {
    const result = await destination().send([regulationBody(['191167']), regulationBody(['42', '43'])], new AbortController().signal);

    expect(result).toEqual({ scope: 'per-event', outcomes: [{ kind: 'delivered' }, { kind: 'delivered' }] });
    expect(api.regulations().slice(-2).map((r) => [r.regulationType, r.subjectType, r.subjectIds])).toEqual([
      ['SUPPRESS_WITH_DELETE', 'USER_ID', ['191167']], ['SUPPRESS_WITH_DELETE', 'USER_ID', ['42', '43']],
    ]);
  });

  it('pauses on a refused token, retries 5xx and 429 (with Retry-After), and gives up on an invalid request', async () => {
    const send = async (body: string, withToken = token) =>
      ((await destination(withToken).send([body], new AbortController().signal)) as { outcomes: unknown[] }).outcomes[0];

    expect(await send(regulationBody(['1']), 'wrong')).toMatchObject({ kind: 'auth-failed', status: 401 });
    api.failNext(503, 429);
    expect(await send(regulationBody(['1']))).toMatchObject({ kind: 'retryable', status: 503 });
    expect(await send(regulationBody(['1']))).toMatchObject({ kind: 'rate-limited', status: 429, retryAfterMs: 1000 });
    expect(await send(regulationBody([]))).toMatchObject({ kind: 'permanent', status: 400, reason: expect.stringMatching(/subjectIds/) });
  });

  it('never turns an event into a regulation', () => {
    expect(destination().transform({ type: 'track', event: 'Order Completed', messageId: 'm', timestamp: '2026-01-01T00:00:00Z' }).kind).toBe('skip');
  });
});
