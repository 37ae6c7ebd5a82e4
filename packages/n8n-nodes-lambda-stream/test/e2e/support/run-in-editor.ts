/**
 * The node in n8n's editor, in real Chromium: sign in as the owner, open a workflow, open the
 * node's panel and press "Execute step" (n8n's Test request), then read the output panel and take
 * a screenshot of the panel.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

export const OWNER = {
  email: 'owner@example.com',
  firstName: 'E2E',
  lastName: 'Owner',
  password: 'E2e-test-Passw0rd',
};

/** Creates the instance owner through n8n's REST API (a fresh instance has none). */
export async function setUpOwner(baseUrl: string): Promise<void> {
  const response = await fetch(`${baseUrl}/rest/owner/setup`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(OWNER),
  });
  if (!response.ok) throw new Error(`owner setup: ${response.status} ${await response.text()}`);
}

export interface EditorRun {
  /** The output panel's item count line, e.g. "7 items". */
  itemCount: string;
  /** The text of the output panel's table. */
  outputText: string;
}

/**
 * @example
 * const run = await executeStepInEditor(url, 'lambdaStreamManual', 'Lambda Stream', 'panel.png');
 */
export async function executeStepInEditor(
  baseUrl: string,
  workflowId: string,
  nodeName: string,
  screenshotPath: string,
): Promise<EditorRun> {
  const profile = mkdtempSync(join(tmpdir(), 'n8n-e2e-chromium-'));
  const browser = await chromium.launchPersistentContext(profile, {
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
    viewport: { width: 1500, height: 900 },
  });
  try {
    const page = browser.pages()[0] ?? (await browser.newPage());
    await page.goto(`${baseUrl}/signin`);
    await page.locator('input[type=email], input[name=emailOrLdapLoginId]').first().fill(OWNER.email);
    await page.locator('input[type=password]').first().fill(OWNER.password);
    await page.getByRole('button', { name: /sign in/i }).click();
    await page.waitForURL((url) => !url.pathname.includes('signin'));
    await page.goto(`${baseUrl}/workflow/${workflowId}`);
    await page.locator(`[data-test-id="canvas-node"][data-node-name="${nodeName}"]`).dblclick();
    const panel = page.locator('[data-test-id="ndv"]');
    await panel.waitFor();
    await panel.locator('[data-test-id="node-execute-button"]').first().click();
    const output = panel.locator('[data-test-id="output-panel"]');
    const count = output.getByText(/^\d+ items?$/);
    await count.waitFor({ timeout: 60_000 });
    await output.locator('table').first().waitFor();
    await page.screenshot({ path: screenshotPath });
    return {
      itemCount: (await count.textContent()) ?? '',
      outputText: (await output.locator('table').first().textContent()) ?? '',
    };
  } finally {
    await browser.close();
    rmSync(profile, { recursive: true, force: true });
  }
}
