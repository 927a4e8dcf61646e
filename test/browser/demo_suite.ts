// Drives the browser demo (examples/browser/) in headless Chromium: pick a backend,
// train, stop, train again, draw a digit, and check that the chart and the prediction
// are on screen. Leaves a screenshot in out/browser-demo.png. Run by chromium.test.ts.
import { mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { BrowserEnv } from './browser_env.js';

const OUT = resolve(dirname(fileURLToPath(import.meta.url)), '../../out');

/** Counts chart pixels close to a colour, to tell a drawn curve from an empty plot. */
async function pixelsOfColour(page: Page, rgb: [number, number, number]): Promise<number> {
  return page.evaluate((c) => {
    const canvas = document.getElementById('chart') as HTMLCanvasElement;
    const data = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
    let n = 0;
    for (let i = 0; i < data.length; i += 4) {
      if (Math.abs(data[i]! - c[0]) + Math.abs(data[i + 1]! - c[1]) + Math.abs(data[i + 2]! - c[2]) < 40 && data[i + 3]! > 200) n++;
    }
    return n;
  }, rgb);
}

async function chartPoints(page: Page): Promise<number> {
  return Number((await page.getAttribute('#chart', 'data-points')) ?? '0');
}

/** The demo tests, in order on one page; `env` gives the shared browser environment. */
export function demoSuite(env: () => BrowserEnv): void {
  let page: Page;
  const errors: string[] = [];

  beforeAll(async () => {
    page = await env().context.newPage();
    await page.setViewportSize({ width: 1280, height: 560 });
    page.on('pageerror', (e) => errors.push(e.message));
  });

  it('starts on webgl, switches backend with the picker, and loads the MNIST subset', async () => {
    await page.goto(`${env().url}/examples/browser/`);
    await page.waitForSelector('body[data-state="ready"]', { timeout: 120_000 });
    expect(await page.textContent('#status')).toContain('Backend webgl');
    // wasm trains this small CNN fastest on a machine without a GPU.
    await page.selectOption('#backend', 'wasm');
    await page.waitForFunction(
      () => document.body.dataset.state === 'ready' && document.getElementById('status')!.textContent!.includes('Backend wasm'),
      undefined,
      { timeout: 120_000 },
    );
    expect(await page.textContent('#status')).toContain('threads on');
    expect(errors).toEqual([]);
  }, 150_000);

  it('Stop ends training after a few batches', async () => {
    await page.selectOption('#train-size', '1000');
    await page.selectOption('#epochs', '2');
    await page.click('#train');
    await page.waitForFunction(() => Number(document.getElementById('chart')!.dataset.points ?? 0) >= 3, undefined, { timeout: 120_000 });
    await page.click('#stop');
    await page.waitForSelector('body[data-state="trained"]', { timeout: 120_000 });
    // 1,000 images in batches of 32 for 2 epochs is 64 batches; the chart stopped well short.
    const points = await chartPoints(page);
    expect(points).toBeGreaterThanOrEqual(3);
    expect(points).toBeLessThan(20);
    expect(await page.textContent('#status')).toMatch(/test accuracy \d+\.\d%/);
  }, 250_000);

  it('trains an epoch with a live chart, then reads a drawn digit', async () => {
    await page.selectOption('#epochs', '1');
    await page.click('#train');
    await page.waitForSelector('body[data-state="trained"]', { timeout: 150_000 });
    expect(await chartPoints(page)).toBeGreaterThanOrEqual(3);
    expect(await pixelsOfColour(page, [224, 113, 43])).toBeGreaterThan(100);
    expect(await pixelsOfColour(page, [47, 111, 222])).toBeGreaterThan(100);
    const accuracy = Number(/test accuracy (\d+\.\d)%/.exec((await page.textContent('#status')) ?? '')?.[1]);
    // Chance is 10%; one epoch of 1,000 images gets well past it.
    expect(accuracy).toBeGreaterThan(30);

    const pad = (await page.locator('#pad').boundingBox())!;
    const at = (fx: number, fy: number): [number, number] => [pad.x + fx * pad.width, pad.y + fy * pad.height];
    // A "7": the top bar, then the diagonal down.
    await page.mouse.move(...at(0.3, 0.22));
    await page.mouse.down();
    await page.mouse.move(...at(0.7, 0.22), { steps: 10 });
    await page.mouse.move(...at(0.45, 0.82), { steps: 14 });
    await page.mouse.up();
    await page.waitForSelector('#bars[data-prediction]', { timeout: 30_000 });
    const predicted = Number(await page.getAttribute('#bars', 'data-prediction'));
    expect(predicted).toBeGreaterThanOrEqual(0);
    expect(predicted).toBeLessThanOrEqual(9);
    const percents = (await page.locator('#bars .bar span').allTextContents()).map((t) => parseFloat(t));
    expect(percents).toHaveLength(10);
    expect(Math.abs(percents.reduce((a, b) => a + b, 0) - 100)).toBeLessThan(1);
    expect(Math.max(...percents)).toBe(percents[predicted]);
    expect(await page.locator('#bars .bar.top').count()).toBe(1);

    mkdirSync(OUT, { recursive: true });
    await page.screenshot({ path: join(OUT, 'browser-demo.png') });
    expect(errors).toEqual([]);
  }, 250_000);
}
