/**
 * The exported task: this package's task input, the embedded runner's task, and the generic HTTP
 * task with its note, each as JSON ready to paste.
 */
import type { TaskExport } from './types.js';

const FORMS: Array<{ key: 'taskInput' | 'workflowTask' | 'httpTask'; title: string }> = [
  { key: 'taskInput', title: 'Task input (lambda-stream-task)' },
  { key: 'workflowTask', title: 'Embedded runner task definition' },
  { key: 'httpTask', title: 'Generic HTTP task' },
];

export function ExportView({ exported }: { exported: TaskExport }) {
  return (
    <section className="export" aria-label="Exported task">
      {FORMS.map(({ key, title }) => (
        <figure key={key} aria-label={title}>
          <h3>{title}</h3>
          <pre>{JSON.stringify(exported[key], null, 2)}</pre>
        </figure>
      ))}
      <p className="note">{exported.note}</p>
    </section>
  );
}
