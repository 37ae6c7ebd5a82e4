/**
 * The designer page: the API reference and the form on one side, the live Test request on the other.
 */
import { useEffect, useRef, useState } from 'react';
import { exportTask, fetchModel, type RunHandle, startRun, validate } from './api.js';
import { ExportView } from './export-view.js';
import { IDLE, onLiveEvent, type RunState, starting } from './run-state.js';
import { RunView, statusText } from './run-view.js';
import { TaskForm } from './task-form.js';
import { toTaskInput } from './to-task-input.js';
import type { FormModel, TaskExport, ValidationIssue } from './types.js';

/** Validation waits for a pause in typing this long. */
const VALIDATE_AFTER_MS = 150;

function endpointFor(model: FormModel, data: unknown): string {
  const settings = (data as { settings?: Record<string, unknown> } | undefined)?.settings ?? {};
  const region =
    typeof settings[model.regionSetting] === 'string'
      ? (settings[model.regionSetting] as string)
      : 'us-east-1';
  const partition =
    model.operation.endpoints.find((p) => new RegExp(p.regionPattern).test(region)) ??
    model.operation.endpoints[0];
  return `${(partition?.url ?? '').replace('{region}', region)} (for ${region})`;
}

function Reference({ model, data }: { model: FormModel; data: unknown }) {
  return (
    <header className="reference">
      <h1>{model.name}</h1>
      <p>{model.description}</p>
      <dl>
        <div>
          <dt>Operation</dt>
          <dd>
            <code>{model.operation.name}</code>:{' '}
            <code>
              {model.operation.method} {model.operation.pathTemplate}
            </code>
          </dd>
        </div>
        <div>
          <dt>Endpoint</dt>
          <dd>
            <code>{endpointFor(model, data)}</code>
          </dd>
        </div>
        <div>
          <dt>Test requests go to</dt>
          <dd>{model.backend}</dd>
        </div>
      </dl>
    </header>
  );
}

function IssueList({ issues }: { issues: ValidationIssue[] }) {
  if (issues.length === 0) return <p className="input-valid">The input is valid.</p>;
  return (
    <ul className="issues" aria-label="Validation issues">
      {issues.map((issue) => (
        <li key={`${issue.path}:${issue.keyword}`}>{issue.message}</li>
      ))}
    </ul>
  );
}

export function DesignerApp() {
  const [model, setModel] = useState<FormModel>();
  const [loadError, setLoadError] = useState<string>();
  const [data, setData] = useState<unknown>();
  const [issues, setIssues] = useState<ValidationIssue[]>([]);
  const [run, setRun] = useState<RunState>(IDLE);
  const [exported, setExported] = useState<TaskExport>();
  const handle = useRef<RunHandle | undefined>(undefined);

  useEffect(() => {
    // The token has done its job once the cookie is set: keep it out of the address bar and history.
    if (location.search.includes('token=')) history.replaceState(null, '', '/');
    fetchModel().then(
      (m) => {
        setModel(m);
        setData(m.data);
      },
      (error: unknown) => setLoadError(String(error)),
    );
  }, []);

  useEffect(() => {
    if (!model) return;
    const timer = setTimeout(() => {
      const { input, issues: own } = toTaskInput(data, model.bodyMember);
      validate(input).then(
        (found) => setIssues([...own, ...found.filter((i) => !own.some((o) => o.path === i.path))]),
        (error: unknown) =>
          setIssues([{ location: 'input', path: '', keyword: 'designer', message: String(error) }]),
      );
    }, VALIDATE_AFTER_MS);
    return () => clearTimeout(timer);
  }, [data, model]);

  if (loadError) return <p role="alert">The designer could not load the definition: {loadError}</p>;
  if (!model) return <p role="status">Loading the definition…</p>;

  const running = run.phase === 'starting' || run.phase === 'running';
  const onTest = (): void => {
    const { input, issues: own } = toTaskInput(data, model.bodyMember);
    if (own.length > 0) {
      setIssues(own);
      return;
    }
    const began = performance.now();
    setRun((previous) => starting(previous, began));
    setExported(undefined);
    startRun(input, (event) => setRun((state) => onLiveEvent(state, event, performance.now()))).then(
      (h) => {
        handle.current = h;
      },
      (error: unknown) => setRun((state) => ({ ...state, phase: 'done', failure: String(error) })),
    );
  };
  const onExport = (): void => {
    const { input } = toTaskInput(data, model.bodyMember);
    exportTask(input, run.report?.response?.totalMs).then(
      (result) => ('issues' in result ? setIssues(result.issues) : setExported(result)),
      (error: unknown) =>
        setIssues([{ location: 'input', path: '', keyword: 'designer', message: String(error) }]),
    );
  };

  return (
    <div className="designer">
      <Reference model={model} data={data} />
      <main className="columns">
        <section className="form-column" aria-label="Configure">
          <h2>Configure</h2>
          <TaskForm model={model} data={data} issues={issues} onChange={setData} />
          <IssueList issues={issues} />
        </section>
        <section className="run-column" aria-label="Test request">
          <h2>Test request</h2>
          <div className="actions">
            <button type="button" onClick={onTest} disabled={running}>
              Test request
            </button>
            <button type="button" onClick={() => handle.current?.cancel()} disabled={!running}>
              Cancel
            </button>
            <button type="button" onClick={onExport}>
              Export
            </button>
          </div>
          <p
            className="status"
            role="status"
            data-run={run.number}
            data-phase={run.phase}
            data-done-ms={run.doneMs}
          >
            {statusText(run)}
          </p>
          <RunView run={run} />
          {exported ? <ExportView exported={exported} /> : null}
        </section>
      </main>
    </div>
  );
}
