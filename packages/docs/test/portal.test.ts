import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const docsDir = join(root, 'docs');
const artifacts = join(root, 'test-artifacts', 'docs');
const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

interface Api {
  name: string;
  title: string;
  /** The spec's tags: the navigation's groups. */
  tags: string[];
  operations: { operationId: string; summary: string; path: string; method: string }[];
}

const config = parse(readFileSync(join(root, 'redocly.yaml'), 'utf8')) as {
  apis: Record<string, { root: string }>;
};
const apis: Api[] = Object.entries(config.apis).map(([name, api]) => {
  const spec = parse(readFileSync(join(root, api.root), 'utf8'));
  const operations: Api['operations'] = [];
  for (const [path, item] of Object.entries<
    Record<string, { operationId: string; summary: string }>
  >(spec.paths)) {
    for (const method of ['get', 'post', 'put', 'patch', 'delete']) {
      const op = item[method];
      if (op) operations.push({ operationId: op.operationId, summary: op.summary, path, method });
    }
  }
  const tags = ((spec.tags ?? []) as { name: string }[]).map((tag) => tag.name);
  return { name, title: spec.info.title, tags, operations };
});

let browser: Browser;

beforeAll(() => {
  if (!existsSync(join(docsDir, 'index.html'))) {
    execFileSync(process.execPath, [join(root, 'scripts', 'build-docs.mjs')], { stdio: 'inherit' });
  }
  if (!existsSync(executablePath)) {
    throw new Error(
      `Chromium not found at ${executablePath}: install Debian's chromium package or set CHROMIUM_PATH`,
    );
  }
  mkdirSync(artifacts, { recursive: true });
});

beforeAll(async () => {
  browser = await chromium.launch({
    executablePath,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
});

afterAll(async () => {
  await browser?.close();
});

/** Opens a docs page and records every request the page makes. */
async function open(file: string) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const requests: string[] = [];
  const pageErrors: string[] = [];
  context.on('request', (request) => requests.push(request.url()));
  // Anything that would leave the machine is refused, and recorded above.
  await context.route(/^https?:\/\//, (route) => route.abort());
  const page = await context.newPage();
  page.on('pageerror', (error) => pageErrors.push(error.message));
  await page.goto(pathToFileURL(join(docsDir, file)).href, { waitUntil: 'load' });
  return { context, page, requests, pageErrors };
}

/**
 * Keeps a screenshot of the page in the test artifacts, for people to look at. It proves nothing
 * (the assertions read the DOM), so a capture that headless Chromium never delivers (it sometimes
 * waits forever for a compositor frame on a loaded machine) leaves a note beside the missing image
 * instead of failing the run.
 */
async function keepScreenshot(page: Page, name: string, fullPage = false): Promise<void> {
  const path = join(artifacts, `${name}.png`);
  const note = `${path}.missing.txt`;
  rmSync(note, { force: true });
  try {
    await page.screenshot({ path, fullPage, timeout: 20_000 });
  } catch (error) {
    if (page.isClosed()) throw error;
    writeFileSync(note, `${error instanceof Error ? error.message : String(error)}\n`);
    console.warn(`docs portal: no screenshot ${name}.png (${note})`);
  }
}

function external(requests: string[]): string[] {
  return requests.filter(
    (url) => !url.startsWith('file:') && !url.startsWith('data:') && !url.startsWith('blob:'),
  );
}

/**
 * Waits until Redoc has rendered its navigation, opens every group of it (Redoc renders the
 * operations of the first group only, until a group is opened), then returns every in-page route
 * it links.
 */
async function routesOf(page: Page, tags: readonly string[]): Promise<string[]> {
  await page.waitForSelector('a[href^="#/"]', { timeout: 30_000 });
  const routes = new Set<string>();
  const collect = async () => {
    const hrefs = await page.$$eval('a[href^="#/"]', (links) =>
      links.map((link) => link.getAttribute('href') ?? ''),
    );
    for (const href of hrefs) routes.add(href);
  };
  await collect();
  for (const tag of tags) {
    const group = page.locator(`[data-text="${tag.replaceAll('"', '\\"')}"]`).first();
    if ((await group.count()) === 0) continue;
    await group.click();
    await collect();
  }
  return [...routes];
}

describe.each(apis)('the $name reference page', (api) => {
  it('renders every operation of the spec with no request leaving the machine', async () => {
    const { context, page, requests, pageErrors } = await open(`${api.name}.html`);
    try {
      const routes = await routesOf(page, api.tags);
      await keepScreenshot(page, api.name);
      for (const op of api.operations) {
        const route = routes.find((href) => href.endsWith(`/${op.operationId.toLowerCase()}`));
        expect(route, `a route for ${op.operationId}`).toBeDefined();
        await page.goto(pathToFileURL(join(docsDir, `${api.name}.html`)).href + route);
        const heading = page.locator('h1, h2, h3', { hasText: op.summary });
        await expect.poll(() => heading.count(), { timeout: 15_000 }).toBeGreaterThan(0);
        await expect
          .poll(() => page.getByText(op.path, { exact: true }).count())
          .toBeGreaterThan(0);
      }
      await keepScreenshot(page, `${api.name}-operation`);
      expect(external(requests)).toEqual([]);
      expect(pageErrors).toEqual([]);
    } finally {
      await context.close();
    }
  });
});

describe('the portal index', () => {
  it('links every API page and lists each operation', async () => {
    const { context, page, requests, pageErrors } = await open('index.html');
    try {
      for (const api of apis) {
        await expect.poll(() => page.locator(`h2 a[href="${api.name}.html"]`).count()).toBe(1);
        for (const op of api.operations) {
          const link = page.locator(
            `#${api.name} a[href^="${api.name}.html#/"][href$="${routeSuffix(op.operationId)}"]`,
          );
          expect(await link.count(), `${api.name} ${op.operationId}`).toBe(1);
        }
      }
      expect(
        await page.locator('#cli code', { hasText: 'bulk-clients hubspot tickets-update' }).count(),
      ).toBe(1);
      await keepScreenshot(page, 'index', true);
      expect(external(requests)).toEqual([]);
      expect(pageErrors).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it.each(apis)('opens an operation of $name from its index link', async (api) => {
    const { context, page, requests } = await open('index.html');
    try {
      const op = api.operations[0]!;
      await page.locator(`#${api.name} a[href$="${routeSuffix(op.operationId)}"]`).click();
      const heading = page.locator('h1, h2, h3', { hasText: op.summary });
      await expect.poll(() => heading.count(), { timeout: 30_000 }).toBeGreaterThan(0);
      expect(page.url()).toContain(`${api.name}.html#/`);
      expect(external(requests)).toEqual([]);
    } finally {
      await context.close();
    }
  });
});

function routeSuffix(operationId: string): string {
  return `/${operationId.toLowerCase()}`;
}
