/** One versioned schema step; versions only ever grow and a step never changes once released. */
export interface Migration {
  version: number;
  name: string;
  sql: string;
}

/** The steps not yet applied, in version order; throws when the list itself is out of order. */
export function missingMigrations(all: readonly Migration[], applied: ReadonlySet<number>): Migration[] {
  all.forEach((step, index) => {
    const previous = all[index - 1];
    if (previous !== undefined && step.version <= previous.version) {
      throw new Error(`migration ${step.version} (${step.name}) is not after ${previous.version}`);
    }
  });
  return all.filter((step) => !applied.has(step.version));
}
