import type { OutputEvent } from '../../src/generated/output-event.js';
import type { TaskSettings } from '../../src/generated/settings.js';
import type { TaskInput } from '../../src/generated/task-input.js';
import type { ExecuteContext } from '../../src/index.js';
import { TEST_CREDENTIALS } from '../support/stream-server.js';

/** A task input aimed at a local test server, signed with the test credentials. */
export function inputFor(
  url: string,
  extra: Partial<Omit<TaskInput, 'settings'>> & { settings?: TaskSettings } = {},
): TaskInput {
  return {
    path: { FunctionName: 'my-function' },
    ...extra,
    settings: {
      region: 'us-east-1',
      endpoint: url,
      credentials: { ...TEST_CREDENTIALS },
      retry: { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 50 },
      ...extra.settings,
    },
  } as TaskInput;
}

/** A context that reads no real environment (no proxies or endpoints from the developer's shell). */
export function quietContext(extra: ExecuteContext = {}): ExecuteContext {
  return { env: {}, random: () => 0.5, ...extra };
}

/** Collect every event of a chunked call. */
export async function collect(events: AsyncIterable<OutputEvent>): Promise<OutputEvent[]> {
  const out: OutputEvent[] = [];
  for await (const event of events) out.push(event);
  return out;
}
