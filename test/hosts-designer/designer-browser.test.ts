/**
 * The designer in real Chromium: the form from the schemas, inline validation with the messages of
 * `lambda-stream validate`, a live Test request against the emulator's `tokens` (chunks listed one by
 * one before the call ends, the timeline growing), Cancel seen on the emulator's side, a function
 * error with its log and hint, the copied curl command run against the emulator, Export, the keyboard
 * alone, and a narrow window. Writes the README's screenshot of a finished streaming run.
 */
import { execFile } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import type { Page } from 'playwright-core';
import { type DesignerHandle, startDesigner } from '../../src/hosts/designer/start-designer.js';
import { validateInput } from '../../src/index.js';
import { openChromium } from './support/chromium.js';

// A browser on a shared, loaded machine: room for slow steps (no assertion is about time).
jest.setTimeout(90_000);

const SCREENSHOT = join(import.meta.dirname, '../../docs/images/designer.png');

let designer: DesignerHandle;
let browser: Awaited<ReturnType<typeof openChromium>>;
let page: Page;
const emulatorLog: string[] = [];
const cspViolations: string[] = [];

/**
 * Run in the page: record each chunk item as it is added to the list, with the run's phase at that
 * moment and the number of dots the timeline had (a string: the page's DOM types are not this file's).
 */
const RECORD_CHUNK_ITEMS = `(() => {
  const log = [];
  window.chunkLog = log;
  new MutationObserver((records) => {
    const phase = document.querySelector('p.status')?.getAttribute('data-phase') ?? '';
    const points = Number(document.querySelector('svg[aria-label="Chunk timeline"]')?.getAttribute('data-points'));
    for (const record of records)
      for (const node of record.addedNodes)
        if (node.nodeName === 'LI') log.push({ seq: Number(node.dataset.seq), phase, points });
  }).observe(document.querySelector('ol[aria-label="Chunks"]'), { childList: true });
})()`;

/** Resolves once `condition` holds (checked on each event-loop turn; the test's timeout bounds it). */
async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 20));
}

async function fillPayload(text: string): Promise<void> {
  await page.getByLabel('Payload').fill(text);
}

/** The number of the page's last run (0 before the first). */
async function runNumber(): Promise<number> {
  return Number(await page.locator('p.status').getAttribute('data-run'));
}

/** Press Test request and wait for this run (not the one before) to reach `phase`. */
async function testRequest(phase: 'running' | 'done' = 'done'): Promise<string> {
  const next = (await runNumber()) + 1;
  await page.getByRole('button', { name: 'Test request' }).click();
  return finished(next, phase);
}

async function finished(run: number, phase: 'running' | 'done' = 'done'): Promise<string> {
  const status = page.locator(`p.status[data-run="${run}"][data-phase="${phase}"]`);
  await status.waitFor();
  return (await status.textContent()) ?? '';
}

beforeAll(async () => {
  // No endpoint or region in the environment: the designer runs the emulator with the samples.
  designer = await startDesigner({
    env: { PATH: process.env.PATH },
    emulator: { onLog: (line) => emulatorLog.push(line) },
  });
  browser = await openChromium();
  page = browser.page;
  page.on('console', (message) => {
    if (/Content Security Policy/i.test(message.text())) cspViolations.push(message.text());
  });
  await page.goto(designer.url);
  await page.getByLabel('Function name').waitFor();
});
afterAll(async () => {
  await browser?.close();
  await designer?.close();
});

describe('designer page', () => {
  it('renders the reference and the form from the schemas: titles, groups, enums, defaults, no computed headers', async () => {
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe(
      'AWS Lambda: invoke with response stream',
    );
    await expect(
      page.getByText('POST /2021-11-15/functions/{FunctionName}/response-streaming-invocations').count(),
    ).resolves.toBe(1);
    for (const group of ['Path', 'Headers', 'Query', 'Body', 'Settings']) {
      await expect(page.locator('legend', { hasText: new RegExp(`^${group}$`) }).count()).resolves.toBe(1);
    }
    await expect(page.locator('label', { hasText: 'Function name*' }).count()).resolves.toBe(1);
    await expect(page.getByLabel('Output mode').evaluate((e) => e.tagName)).resolves.toBe('SELECT');
    await expect(page.getByLabel('Output mode').inputValue()).resolves.toBe('aggregated');
    await expect(page.getByLabel('Content type').inputValue()).resolves.toBe('application/json');
    await expect(page.getByLabel('Payload').evaluate((e) => e.tagName)).resolves.toBe('TEXTAREA');
    await expect(page.getByText(/The function to invoke: a name/).count()).resolves.toBe(1);
    await expect(page.getByLabel('Authorization').count()).resolves.toBe(0);
    await expect(page.getByLabel('Secret access key').count()).resolves.toBe(0);
  });

  it('shows the validation message of lambda-stream validate for a bad function name, before sending', async () => {
    const before = emulatorLog.length;
    const [issue] = validateInput({ path: { FunctionName: 'not a valid name!' } });
    await page.getByLabel('Function name').fill('not a valid name!');
    const inline = page.locator('.validation_error', { hasText: issue?.message ?? '?' });
    await inline.waitFor();
    await expect(page.getByRole('list', { name: 'Validation issues' }).textContent()).resolves.toContain(
      issue?.message,
    );
    expect(emulatorLog.length).toBe(before);
    await page.getByLabel('Function name').fill('tokens');
    await page.getByText('The input is valid.').waitFor();
  });

  it('streams tokens: chunk items appear one by one before the call ends, and the timeline grows', async () => {
    await fillPayload('{"count": 12, "delayMs": 60}');
    await page.getByText('The input is valid.').waitFor();
    // Record, in the page, each chunk item as it is added: the run's phase then and the timeline's dots.
    await page.evaluate(RECORD_CHUNK_ITEMS);
    const summary = await testRequest();
    expect(summary).toMatch(/^success: 200 in \d+ ms, 57 B in 12 chunk\(s\)$/);

    const log = await page.evaluate<Array<{ seq: number; phase: string; points: number }>>('window.chunkLog');
    expect(log.map((e) => e.seq)).toEqual([...Array(12).keys()]);
    expect(log[0]?.phase).toBe('running');
    // The timeline had fewer dots when earlier items came in: it grew with the list.
    expect(new Set(log.map((e) => e.points)).size).toBeGreaterThan(1);
    for (let i = 1; i < log.length; i++)
      expect(log[i]?.points).toBeGreaterThanOrEqual(log[i - 1]?.points ?? 0);
    const items = page.getByRole('list', { name: 'Chunks' }).getByRole('listitem');
    await expect(items.count()).resolves.toBe(12);
    await expect(items.first().textContent()).resolves.toContain('The');
    const received = (
      await items.evaluateAll((lis) => lis.map((li) => li.getAttribute('data-received-ms')))
    ).map(Number);
    const doneMs = Number(await page.locator('p.status').getAttribute('data-done-ms'));
    // Stamped by the page as each arrived: the first came before the report, and they came in order.
    expect(received[0]).toBeLessThan(doneMs);
    for (let i = 1; i < received.length; i++)
      expect(received[i]).toBeGreaterThanOrEqual(received[i - 1] ?? 0);
    await expect(page.getByRole('img', { name: 'Chunk timeline' }).locator('circle').count()).resolves.toBe(
      12,
    );
    await expect(page.getByRole('region', { name: 'Output' }).textContent()).resolves.toContain(
      'The quick model streams tokens',
    );
    mkdirSync(join(SCREENSHOT, '..'), { recursive: true });
    await page.screenshot({ path: SCREENSHOT });
  });

  it('copies the curl command, which runs against the emulator', async () => {
    await fillPayload('{"count": 3, "delayMs": 0}');
    await testRequest();
    await page.getByRole('button', { name: 'Copy curl command' }).click();
    await page.getByText('Copied.').waitFor();
    const command = await page.evaluate<string>('navigator.clipboard.readText()');
    expect(command).toContain(
      `${designer.backend.url}/2021-11-15/functions/tokens/response-streaming-invocations`,
    );
    // The command reads the key from the environment: it carries no secret and no signature.
    expect(command).toContain('$AWS_SECRET_ACCESS_KEY');
    expect(command).not.toMatch(/Signature=|test:test/);
    const { stdout } = await promisify(execFile)('bash', ['-c', command], {
      env: { PATH: process.env.PATH, AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test' },
      encoding: 'buffer',
    });
    const body = stdout.toString('latin1');
    expect(body).toContain('PayloadChunk');
    expect(body).toContain('InvokeComplete');
    expect(body.indexOf('The')).toBeLessThan(body.indexOf(' quick'));
  });

  it('cancels a slow run: the request is closed on the emulator side', async () => {
    await fillPayload('{"count": 10000, "delayMs": 100}');
    await testRequest('running');
    const run = await runNumber();
    await page.getByRole('list', { name: 'Chunks' }).getByRole('listitem').first().waitFor();
    const started = emulatorLog.find((line) => line.endsWith('streaming 10000 tokens'));
    const requestId = started?.split('\t')[1];
    expect(requestId).toMatch(/^[0-9a-f-]{36}$/);
    await page.getByRole('button', { name: 'Cancel' }).click();
    const summary = await finished(run);
    expect(summary).toMatch(/ABORTED/);
    await expect(page.getByRole('region', { name: 'Error' }).textContent()).resolves.toContain('cancelled');
    // 10000 tokens 100 ms apart would take 17 minutes: the invocation ended because the request closed.
    await until(() => emulatorLog.includes(`END RequestId: ${requestId}`));
    // And the function itself saw its stream closed, and stopped.
    await until(() =>
      emulatorLog.some(
        (line) =>
          line.includes(requestId ?? '?') && /stopped after \d+ tokens: the caller went away/.test(line),
      ),
    );
  });

  it('shows a function error with its log tail and hint', async () => {
    await page.getByLabel('Function name').fill('fails');
    await fillPayload('{"message": "kaput"}');
    await page.getByLabel('Log type').selectOption('Tail');
    const summary = await testRequest();
    expect(summary).toContain('function error Error: kaput');
    const error = (await page.getByRole('region', { name: 'Error' }).textContent()) ?? '';
    expect(error).toContain('FUNCTION_ERROR');
    expect(error).toMatch(/Hint: The function ran and threw: read the log tail/);
    await expect(page.getByRole('region', { name: 'Log tail' }).textContent()).resolves.toContain(
      'failing now',
    );
  });

  it('exports the task input, the runner task and the generic HTTP task with its note', async () => {
    await page.getByRole('button', { name: 'Export' }).click();
    const http = page.getByRole('figure', { name: 'Generic HTTP task' });
    await http.waitFor();
    const exported = JSON.parse((await http.locator('pre').textContent()) ?? '') as {
      inputParameters: { httpRequest: Record<string, unknown> };
    };
    expect(exported.inputParameters.httpRequest).toMatchObject({
      url: `${designer.backend.url}/2021-11-15/functions/\${workflow.input.FunctionName}/response-streaming-invocations`,
      method: 'POST',
      // biome-ignore lint/suspicious/noTemplateCurlyInString: the HTTP task's own placeholder syntax
      body: '${workflow.input.Payload}',
      headers: { 'X-Amz-Log-Type': 'Tail' },
    });
    const task = JSON.parse(
      (await page
        .getByRole('figure', { name: 'Task input (lambda-stream-task)' })
        .locator('pre')
        .textContent()) ?? '',
    );
    expect(task).toEqual({
      path: { FunctionName: 'fails' },
      headers: { 'X-Amz-Log-Type': 'Tail' },
      body: { Payload: { message: 'kaput' } },
    });
    await expect(page.getByText(/cannot sign the request with SigV4/).count()).resolves.toBe(1);
  });

  it("inserts nothing of a function's output as HTML", async () => {
    await page.getByLabel('Function name').fill('echo');
    await page.getByLabel('Log type').selectOption('');
    await fillPayload('{"html": "<img src=x onerror=\\"window.pwned = 1\\">"}');
    await testRequest();
    await expect(page.getByRole('region', { name: 'Output' }).textContent()).resolves.toContain('<img src=x');
    await expect(page.locator('.run img').count()).resolves.toBe(0);
    await expect(page.getByRole('list', { name: 'Chunks' }).textContent()).resolves.toContain('<img src=x');
    expect(await page.evaluate<unknown>('window.pwned')).toBeUndefined();
  });

  it('can be filled and run with the keyboard alone', async () => {
    await page.goto(designer.url);
    // Settled: the form is mounted and its first validation is shown (the name is still missing).
    await page.getByRole('list', { name: 'Validation issues' }).waitFor();
    const nameId = await page.getByLabel('Function name').getAttribute('id');
    for (let i = 0; i < 10 && (await page.evaluate<string>('document.activeElement?.id')) !== nameId; i++) {
      await page.keyboard.press('Tab');
    }
    expect(await page.evaluate<string>('document.activeElement?.id')).toBe(nameId);
    await page.keyboard.type('echo');
    await page.getByText('The input is valid.').waitFor();
    for (
      let i = 0;
      i < 100 && (await page.evaluate<string>('document.activeElement?.textContent')) !== 'Test request';
      i++
    ) {
      await page.keyboard.press('Tab');
    }
    const next = (await runNumber()) + 1;
    await page.keyboard.press('Enter');
    expect(await finished(next)).toMatch(/^success: 200/);
  });

  it('keeps every key typed without pauses, across its debounced updates and validations', async () => {
    await page.goto(designer.url);
    await page.getByRole('list', { name: 'Validation issues' }).waitFor();
    const name = page.getByLabel('Function name');
    await name.click();
    // No gap, then gaps around the form's 10 ms debounce, so emissions and the page's echo of them
    // (and the validations they start) fall between keys.
    const typed = 'abcdefghijklmnopqrstuvwxyz0123456789';
    await page.keyboard.type(typed.slice(0, 12));
    await page.keyboard.type(typed.slice(12, 24), { delay: 9 });
    await page.keyboard.type(typed.slice(24), { delay: 14 });
    await page.getByText('The input is valid.').waitFor();
    // Past the last emission and its echo (a wait, not a measurement).
    await page.waitForTimeout(300);
    await expect(name.inputValue()).resolves.toBe(typed);
  });

  it('fits a narrow window without sideways scrolling', async () => {
    await page.setViewportSize({ width: 400, height: 800 });
    const overflow = await page.evaluate<number>(
      'document.documentElement.scrollWidth - document.documentElement.clientWidth',
    );
    expect(overflow).toBeLessThanOrEqual(0);
    await expect(page.getByRole('button', { name: 'Test request' }).isVisible()).resolves.toBe(true);
    await page.setViewportSize({ width: 1280, height: 800 });
  });

  it('ran without a Content-Security-Policy violation', () => {
    expect(cspViolations).toEqual([]);
  });
});
