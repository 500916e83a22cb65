/** One line of the doctor's report. */
export interface CheckResult {
  /** What was checked, e.g. "database", "segment", "shop my-store.myshopify.com: admin token". */
  name: string;
  /** ok ✓, fail ✗ (exit code 1), warn ! (worth fixing, works), skip – (not configured or not checkable). */
  status: 'ok' | 'fail' | 'warn' | 'skip';
  /** What was found, exactly. */
  detail: string;
  /** How to fix it (for fail and warn). */
  fix?: string;
}

const marks: Record<CheckResult['status'], string> = { ok: '✓', fail: '✗', warn: '!', skip: '–' };

export function ok(name: string, detail: string): CheckResult {
  return { name, status: 'ok', detail };
}

export function fail(name: string, detail: string, fix: string): CheckResult {
  return { name, status: 'fail', detail, fix };
}

export function warn(name: string, detail: string, fix: string): CheckResult {
  return { name, status: 'warn', detail, fix };
}

export function skip(name: string, detail: string): CheckResult {
  return { name, status: 'skip', detail };
}

/** "✗ segment: cannot connect … — fix: …" (multi-line details stay indented under their line). */
export function formatCheck(result: CheckResult): string {
  const detail = result.detail.replaceAll('\n', '\n    ');
  const fix = result.fix === undefined ? '' : `\n    → ${result.fix}`;
  return `${marks[result.status]} ${result.name}: ${detail}${fix}`;
}

/** 1 when any check failed, else 0. */
export function doctorExitCode(results: readonly CheckResult[]): number {
  return results.some((result) => result.status === 'fail') ? 1 : 0;
}
