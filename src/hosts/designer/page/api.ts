/**
 * The page's calls to its server. Same origin: the token cookie set by the first load goes with
 * every request, and nothing here knows the token.
 */
import type { FormModel, LiveTestEvent, TaskExport, ValidationIssue } from './types.js';

async function postJson<T>(path: string, body: unknown): Promise<{ status: number; value: T }> {
  const res = await fetch(path, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: res.status, value: (await res.json()) as T };
}

/** The definition's form model. */
export async function fetchModel(): Promise<FormModel> {
  const res = await fetch('/api/model');
  if (!res.ok) throw new Error(`The designer answered ${res.status}`);
  return (await res.json()) as FormModel;
}

/** The issues of a task input, as `lambda-stream validate` reports them. */
export async function validate(input: unknown): Promise<ValidationIssue[]> {
  return (await postJson<{ issues: ValidationIssue[] }>('/api/validate', input)).value.issues;
}

/** The configured task in its three exported forms (or the issues that prevent it). */
export async function exportTask(
  task: unknown,
  lastTotalMs: number | undefined,
): Promise<TaskExport | { issues: ValidationIssue[] }> {
  return (await postJson<TaskExport | { issues: ValidationIssue[] }>('/api/export', { task, lastTotalMs }))
    .value;
}

/** A running Test request: its events arrive through `onEvent`; `cancel` closes the request. */
export interface RunHandle {
  cancel(): void;
}

/**
 * Start a Test request and listen to its events (Server-Sent Events) until the report.
 * @example
 * const run = await startRun(input, (event) => console.log(event.type));
 */
export async function startRun(input: unknown, onEvent: (event: LiveTestEvent) => void): Promise<RunHandle> {
  const { status, value } = await postJson<{ id?: string; error?: string }>('/api/runs', input);
  if (status !== 201 || value.id === undefined)
    throw new Error(value.error ?? `The designer answered ${status}`);
  const id = value.id;
  const source = new EventSource(`/api/runs/${id}/events`);
  source.onmessage = (message: MessageEvent<string>) => {
    const event = JSON.parse(message.data) as LiveTestEvent;
    if (event.type === 'report') source.close();
    onEvent(event);
  };
  return {
    cancel() {
      void fetch(`/api/runs/${id}/cancel`, { method: 'POST' });
    },
  };
}
