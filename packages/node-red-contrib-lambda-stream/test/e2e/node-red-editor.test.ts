import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { type EmulatorHandle, startEmulator } from 'lambda-stream-task/emulator';
import { type BrowserContext, chromium, type Page } from 'playwright-core';
import { e2eFlow, KEY_ID, SECRET } from '../support/e2e-flow.js';
import { deploy, type NodeRed, startNodeRed } from '../support/node-red-process.js';

// The README's Node-RED section shows this picture; the test remakes it on every run.
const SCREENSHOT = join(
  dirname(fileURLToPath(import.meta.url)),
  '..',
  '..',
  '..',
  '..',
  'docs',
  'images',
  'node-red-test-request.png',
);
const SETUP_MS = 15 * 60_000;
const STEP_MS = 3 * 60_000;

let lambda: EmulatorHandle;
let red: NodeRed;
let profile: string;
let browser: BrowserContext;
let page: Page;

beforeAll(async () => {
  lambda = await startEmulator({
    port: 0,
    host: '127.0.0.1',
    credentials: [{ accessKeyId: KEY_ID, secretAccessKey: SECRET }],
  });
  red = await startNodeRed();
  await deploy(red, e2eFlow(lambda.url));
  profile = await mkdtemp(join(tmpdir(), 'nr-chromium-'));
  browser = await chromium.launchPersistentContext(profile, {
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
    viewport: { width: 1280, height: 900 },
  });
  page = browser.pages()[0] ?? (await browser.newPage());
  page.setDefaultTimeout(STEP_MS);
}, SETUP_MS);

afterAll(async () => {
  await browser?.close();
  await red?.stop();
  await lambda?.close();
  if (profile) await rm(profile, { recursive: true, force: true });
}, STEP_MS);

/** Text of the first element matching `selector`, once `accept` holds for it (waited for in the page). */
async function textWhen(selector: string, accept: (text: string) => boolean): Promise<string> {
  const handle = await page.waitForFunction(
    ([sel, src]) => {
      const text = document.querySelector(sel as string)?.textContent ?? '';
      // An object, so that an accepted empty text still ends the wait.
      return new Function('t', `return (${src})(t)`)(text) ? { text } : false;
    },
    [selector, accept.toString()],
  );
  return ((await handle.jsonValue()) as { text: string }).text;
}

describe('the lambda-stream edit dialog in the Node-RED editor (Chromium)', () => {
  it(
    'opens from the canvas with the fields generated from the schemas',
    async () => {
      await page.goto(`${red.url}/`);
      await page.waitForFunction(
        () =>
          (window as { RED?: { nodes?: { node(id: string): unknown } } }).RED?.nodes?.node('lsB') !==
          undefined,
      );
      await page.locator('g[id="lsB"] rect.red-ui-flow-node').dblclick();
      await page.getByLabel('Function name').waitFor({ state: 'visible' });
      expect(await page.getByLabel('Function name').inputValue()).toBe('tokens');
      expect(await page.getByLabel('Output mode').inputValue()).toBe('chunked');
      // The signer's computed headers are not fields of the dialog.
      expect(await page.locator('#node-input-authorization, #node-input-date').count()).toBe(0);
    },
    STEP_MS,
  );

  it(
    'shows the validation message of `lambda-stream validate` beside a bad function name',
    async () => {
      await page.getByLabel('Function name').fill('not a name!');
      const message = await textWhen('.ls-issue[data-for="functionName"]', (t) => t !== '');
      expect(message).toContain('path.FunctionName must be a function name');
      await page.getByLabel('Function name').fill('tokens');
      await textWhen('.ls-issue[data-for="functionName"]', (t) => t === '');
    },
    STEP_MS,
  );

  it(
    'Test request lists each chunk as it arrives, then the report',
    async () => {
      // Record, in the page, the status line each time the chunk list grows: chunks listed while the
      // call still streams prove they appear as they arrive, not with the report.
      await page.evaluate(() => {
        const list = document.getElementById('node-lambda-stream-chunks') as HTMLElement;
        const seen: Array<{ items: number; status: string }> = [];
        (window as unknown as { lsSeen: typeof seen }).lsSeen = seen;
        new MutationObserver(() => {
          seen.push({
            items: list.children.length,
            status: document.getElementById('node-lambda-stream-status')?.textContent ?? '',
          });
        }).observe(list, { childList: true });
      });
      await page.getByRole('button', { name: 'Test request' }).click();
      const status = await textWhen('#node-lambda-stream-status', (t) => t.startsWith('success'));
      expect(status).toMatch(/^success: 200 in \d+ ms, 41 B in 8 chunk\(s\)/);
      const items = page.getByRole('list', { name: 'Chunks' }).getByRole('listitem');
      expect(await items.count()).toBe(8);
      expect(await items.first().textContent()).toMatch(/^\+\d+ ms · 3 B · The$/);
      const seen =
        (await page.evaluate(
          () => (window as unknown as { lsSeen: Array<{ items: number; status: string }> }).lsSeen,
        )) ?? [];
      const growing = seen.filter((s) => s.items > 0 && s.items < 8 && !s.status.startsWith('success'));
      expect(growing.length).toBeGreaterThan(0);
      expect(await page.locator('#node-lambda-stream-curl').textContent()).toContain('curl');
      expect(await page.locator('#node-lambda-stream-log').textContent()).toContain('streaming 8 tokens');
      // The info sidebar's help, generated from the schemas' descriptions, beside the dialog.
      await page.evaluate(() =>
        (
          window as unknown as { RED: { sidebar: { help: { show(type: string): void } } } }
        ).RED.sidebar.help.show('lambda-stream'),
      );
      await page.getByText('Chunked mode: emit one event per').first().waitFor({ state: 'visible' });
      await page.locator('.ls-test').evaluate((panel) => panel.scrollIntoView({ block: 'start' }));
      await page.screenshot({ path: SCREENSHOT });
    },
    STEP_MS,
  );
});
