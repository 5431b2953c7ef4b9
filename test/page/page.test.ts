// The `netsim draw -o html` page in a real browser (Debian's chromium, driven by playwright-core):
// the topology renders, clicking a pod then a Service ClusterIP shows that trace, the keyboard
// does the same, and a screenshot is not blank. Without chromium the test is skipped locally and
// fails under CI (where .ci/run installs it).

import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser, type Page } from 'playwright-core';
import { Cluster, topologyHtml, withHttp } from '@k8s-netsim/core';
import { realToolsRequired } from '@k8s-netsim/testing/kernel';

const CHROMIUM = '/usr/bin/chromium';
const have = existsSync(CHROMIUM);
const run = have || realToolsRequired();

describe.skipIf(!run)(`the topology page in headless chromium${have ? '' : ' (skipped: apt-get install -y chromium)'}`, () => {
  const lab = Cluster.create();
  const dir = mkdtempSync(join(tmpdir(), 'netsim-page-'));
  const file = join(dir, 'lab.html');
  let browser: Browser;
  let page: Page;
  const coredns = lab.pods({ namespace: 'kube-system', selector: 'k8s-app=kube-dns' }).map((p) => `${p.namespace}/${p.name}`);
  const source = lab.pods({ namespace: 'ingress-nginx' })[0]!;

  beforeAll(async () => {
    if (!have) throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium (required under CI)`);
    writeFileSync(file, topologyHtml(lab.state, { http: (r, host) => withHttp(lab.state, r, host) }));
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    const context = await browser.newContext({ viewport: { width: 1400, height: 1000 }, offline: true });
    page = await context.newPage();
    await page.goto(pathToFileURL(file).href);
  });

  afterAll(async () => {
    await browser?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('renders the topology: nodes, pods, Services, the outside, and an empty trace panel', async () => {
    expect(await page.title()).toBe('k8s-netsim topology');
    expect(await page.locator('#topology svg').count()).toBe(1);
    for (const id of [
      'external',
      'node:controlplane',
      'node:node01',
      'node:node02',
      `pod:${source.namespace}/${source.name}`,
      'svc:kube-system/kube-dns:53/tcp',
      'lb:192.168.56.240:80/tcp',
    ])
      expect(await page.locator(`[data-endpoint="${id}"]`).count(), id).toBe(1);
    expect(await page.locator('[data-endpoint="svc:kube-system/kube-dns:53/tcp"]').getAttribute('aria-label')).toBe('Service kube-system/kube-dns 10.96.0.10:53/tcp');
    expect(await page.locator('#trace-text').textContent()).toBe('No trace selected.');
  });

  it('a click on a pod, then on a Service ClusterIP, shows that trace: delivered to a CoreDNS pod', async () => {
    await page.locator(`[data-endpoint="pod:${source.namespace}/${source.name}"]`).click();
    expect(await page.locator('#source').textContent()).toBe(`pod:${source.namespace}/${source.name}`);
    await page.locator('[data-endpoint="svc:kube-system/kube-dns:53/tcp"]').click();
    const text = (await page.locator('#trace-text').textContent()) ?? '';
    expect(text).toContain('10.96.0.10');
    expect(text).toMatch(/delivered/i);
    expect(coredns.some((p) => text.includes(p))).toBe(true);
    expect(await page.locator('#hint').textContent()).toContain(': delivered.');
    // The sequence diagram (traceSvg), or the note the page shows while diagrams are unavailable.
    expect(((await page.locator('#trace-diagram').innerHTML()) ?? '').length).toBeGreaterThan(0);
  });

  it('the screenshot is not blank: many distinct colours', async () => {
    const png = await page.screenshot({ fullPage: false });
    // Decoded by the page itself (a canvas), as a string: this file is type-checked without the DOM lib.
    const colours = await page.evaluate<number>(`(async () => {
      const img = new Image();
      img.src = 'data:image/png;base64,${png.toString('base64')}';
      await img.decode();
      const canvas = document.createElement('canvas');
      canvas.width = img.width;
      canvas.height = img.height;
      const ctx = canvas.getContext('2d');
      ctx.drawImage(img, 0, 0);
      const px = ctx.getImageData(0, 0, img.width, img.height).data;
      const seen = new Set();
      for (let i = 0; i < px.length; i += 4) seen.add((px[i] << 16) | (px[i + 1] << 8) | px[i + 2]);
      return seen.size;
    })()`);
    expect(colours).toBeGreaterThan(20);
  });

  it('the keyboard does the same: Tab reaches the items, Enter and Space select, focus is visible', async () => {
    await page.locator('#reset').click();
    const items = page.locator('[data-endpoint][tabindex="0"]');
    expect(await items.count()).toBeGreaterThan(10);
    // Tab from the Reset button lands on the first item of the picture: the outside.
    await page.locator('#reset').focus();
    await page.keyboard.press('Tab');
    expect(await page.evaluate("document.activeElement?.getAttribute('data-endpoint')")).toBe('external');
    const stroke = await page.evaluate("getComputedStyle(document.activeElement.querySelector('rect')).strokeWidth");
    expect(stroke).toBe('3px');
    await page.keyboard.press('Enter');
    expect(await page.locator('#source').textContent()).toBe('external');
    await page.locator('[data-endpoint="lb:192.168.56.240:80/tcp"]').focus();
    await page.keyboard.press(' ');
    const text = (await page.locator('#trace-text').textContent()) ?? '';
    expect(text).toContain('192.168.56.240');
    expect(text).toMatch(/delivered/i);
    expect(text).toContain('ingress-nginx/ingress-nginx-controller');
  });
});
