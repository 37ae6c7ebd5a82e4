/**
 * `outputEncoding: 'bytes'` in the designer: the form offers it (it is generated from the settings
 * schema, and the definition says so), a Test request with it runs and shows its chunks and output
 * preview (Test request asks for its own encoding), and Export says which hosts take it.
 */
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import type { Page } from 'playwright-core';
import { type DesignerHandle, startDesigner } from '../../src/hosts/designer/start-designer.js';
import { openChromium } from './support/chromium.js';

// A browser on a shared, loaded machine: room for slow steps (no assertion is about time).
jest.setTimeout(90_000);

let designer: DesignerHandle;
let browser: Awaited<ReturnType<typeof openChromium>>;
let page: Page;

beforeAll(async () => {
  designer = await startDesigner({ env: { PATH: process.env.PATH } });
  browser = await openChromium();
  page = browser.page;
  await page.goto(designer.url);
  await page.getByLabel('Function name').waitFor();
});
afterAll(async () => {
  await browser?.close();
  await designer?.close();
});

describe('designer with outputEncoding bytes', () => {
  it('offers bytes among the output encodings of the schema', async () => {
    const values = await page
      .getByLabel('Output encoding')
      .locator('option')
      .evaluateAll((options) => options.map((o) => o.getAttribute('value')));
    expect(values).toEqual(expect.arrayContaining(['utf8', 'base64', 'bytes']));
  });

  it('runs a Test request with bytes, listing each chunk and previewing the output', async () => {
    await page.getByLabel('Function name').fill('tokens');
    await page.getByLabel('Payload').fill('{"count": 4, "delayMs": 1}');
    await page.getByLabel('Output mode').selectOption('chunked');
    await page.getByLabel('Output encoding').selectOption('bytes');
    await page.getByText('The input is valid.').waitFor();
    await page.getByRole('button', { name: 'Test request' }).click();
    const status = page.locator('p.status[data-run="1"][data-phase="done"]');
    await status.waitFor();
    await expect(status.textContent()).resolves.toMatch(/^success: 200 in \d+ ms, 23 B in 4 chunk\(s\)$/);
    const items = page.getByRole('list', { name: 'Chunks' }).getByRole('listitem');
    await expect(items.count()).resolves.toBe(4);
    await expect(page.getByRole('region', { name: 'Output' }).textContent()).resolves.toContain(
      'The quick model streams',
    );
  });

  it('exports the input with bytes and says which hosts take it', async () => {
    await page.getByRole('button', { name: 'Export' }).click();
    const figure = page.getByRole('figure', { name: 'Task input (lambda-stream-task)' });
    await figure.waitFor();
    const task = JSON.parse((await figure.locator('pre').textContent()) ?? '') as { settings?: unknown };
    expect(task.settings).toEqual({ outputMode: 'chunked', outputEncoding: 'bytes' });
    const note = page.getByText(/'bytes' gives Uint8Array data: for hosts that call the library in-process/);
    await expect(note.count()).resolves.toBe(1);
    await expect(note.textContent()).resolves.toContain('the CLI, the Temporal activity, n8n');
  });
});
