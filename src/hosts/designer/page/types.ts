/**
 * The shapes the page receives, from the package's own types (type-only: nothing of the server's
 * code is bundled into the page).
 */

export type { LiveTestEvent, Preview, TestReport, ValidationIssue } from '../../../index.js';
export type { TaskExport } from '../export-task.js';
export type { FormModel, UiElement } from '../form-model.js';
