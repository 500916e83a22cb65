/**
 * A local stand-in for Segment's Public API regulations endpoint (`POST /regulations`), enforcing what Segment
 * documents: a Bearer token, a JSON body whose regulationType and subjectType are among Segment's values, and 1 to
 * 5,000 subject ids. Answers like Segment: `{"data":{"regulateId":…}}`, errors as `{"errors":[{"type","message"}]}`.
 * Optional status answers let tests exercise retries.
 */
import Fastify from 'fastify';
import { z } from 'zod';
import { listenOnLoopback } from './sink-server.ts';

const regulationTypes = [
  'DELETE_ARCHIVE_ONLY', 'DELETE_INTERNAL', 'DELETE_ONLY', 'SUPPRESS_ONLY', 'SUPPRESS_WITH_DELETE',
  'SUPPRESS_WITH_DELETE_INTERNAL', 'UNSUPPRESS',
] as const;

const regulationSchema = z.strictObject({
  regulationType: z.enum(regulationTypes),
  subjectType: z.enum(['USER_ID', 'ANONYMOUS_ID', 'OBJECT_ID']),
  subjectIds: z.array(z.string().min(1)).min(1).max(5_000),
});

export type Regulation = z.infer<typeof regulationSchema> & { regulateId: string };

export interface SegmentPublicApi {
  url: string;
  regulations(): Regulation[];
  /** Answer the next requests with these statuses (e.g. 503, 429) before accepting again. */
  failNext(...statuses: number[]): void;
  close(): Promise<void>;
}

export async function startSegmentPublicApi(options: { token: string; port?: number }): Promise<SegmentPublicApi> {
  const app = Fastify({ logger: false });
  const accepted: Regulation[] = [];
  const failures: number[] = [];
  const error = (type: string, message: string) => ({ errors: [{ type, message }] });
  app.addContentTypeParser(['application/vnd.segment.v1+json', 'application/json'], { parseAs: 'string' }, (_request, body, done) => {
    try {
      done(null, JSON.parse(String(body)));
    } catch {
      done(null, Symbol.for('unparseable'));
    }
  });
  app.post('/regulations', async (request, reply) => {
    if (request.headers.authorization !== `Bearer ${options.token}`) return reply.code(401).send(error('unauthorized', 'invalid or missing token'));
    const failure = failures.shift();
    if (failure !== undefined) {
      if (failure === 429) reply.header('retry-after', '1');
      return reply.code(failure).send(error('injected', `HTTP ${failure}`));
    }
    const parsed = regulationSchema.safeParse(request.body);
    if (!parsed.success) return reply.code(400).send(error('validation', parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')));
    const regulateId = `reg_${accepted.length + 1}`;
    accepted.push({ ...parsed.data, regulateId });
    return reply.code(200).send({ data: { regulateId } });
  });
  const url = await listenOnLoopback(app, options);
  return {
    url,
    regulations: () => [...accepted],
    failNext: (...statuses) => failures.push(...statuses),
    close: () => app.close(),
  };
}
