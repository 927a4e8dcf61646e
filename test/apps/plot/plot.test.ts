import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pngjs from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as st from '../../../src/index.js';

const { tf } = st;
const dir = mkdtempSync(join(tmpdir(), 'strata-plot-'));
beforeAll(async () => {
  await st.setBackend('cpu');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const decode = (path: string) => pngjs.PNG.sync.read(readFileSync(path));

describe('st.plot', () => {
  it('writes training curves that decode to the expected size, with both series drawn', async () => {
    const history = { history: { loss: [1.2, 0.8, 0.5, 0.4], val_loss: [1.3, 0.9, 0.7, 0.65], accuracy: [0.5, 0.7, 0.8, 0.85], val_accuracy: [0.45, 0.6, 0.7, 0.72] } };
    const path = join(dir, 'curves.png');
    const r = await st.plot.history(history, path, { panelWidth: 300, panelHeight: 200 });
    const png = decode(path);
    expect([png.width, png.height]).toEqual([600, 200]);
    expect(Buffer.from(png.data).equals(Buffer.from(r.data))).toBe(true);
    // Both the training (blue) and validation (orange) colours appear in each panel.
    const has = (x0: number, x1: number, c: readonly number[]) => {
      for (let y = 0; y < 200; y++) for (let x = x0; x < x1; x++) {
        const o = (y * 600 + x) * 4;
        if (png.data[o] === c[0] && png.data[o + 1] === c[1] && png.data[o + 2] === c[2]) return true;
      }
      return false;
    };
    for (const [x0, x1] of [[0, 300], [300, 600]] as const) {
      expect(has(x0, x1, [31, 119, 180])).toBe(true);
      expect(has(x0, x1, [230, 110, 10])).toBe(true);
    }
    expect(() => st.plot.historyImage({})).toThrow(/no logs/);
  });

  it('heatmaps scale each cell and map the extremes to the ends of the colour scale', async () => {
    const map = tf.tensor2d([[0, 1], [2, 3]]);
    const path = join(dir, 'heat.png');
    await st.plot.heatmap(map, path, { scale: 10, colormap: 'gray' });
    const png = decode(path);
    expect([png.width, png.height]).toEqual([20, 20]);
    expect(Array.from(png.data.subarray(0, 3))).toEqual([0, 0, 0]);
    const last = (19 * 20 + 19) * 4;
    expect(Array.from(png.data.subarray(last, last + 3))).toEqual([255, 255, 255]);
    map.dispose();
    expect(() => st.plot.heatmapImage(tf.zeros([2, 2, 3]))).toThrow(/one channel/);
  });

  it('overlays, grids and confusion matrices have the right sizes', async () => {
    const img = tf.randomUniform([28, 28, 1], 0, 1, 'float32', 1);
    const cam = tf.randomUniform([7, 7], 0, 1, 'float32', 2);
    const o = st.plot.overlayImage(img, cam, { scale: 4 });
    expect([o.width, o.height]).toEqual([112, 112]);
    const g = await st.plot.grid([o, o, o], join(dir, 'grid.png'), { columns: 3, padding: 4, labels: ['a', 'b', 'c'] });
    const png = decode(join(dir, 'grid.png'));
    expect([png.width, png.height]).toEqual([g.width, g.height]);
    expect(g.width).toBe(3 * (112 + 4) + 4);
    const cm = st.metrics.confusionMatrix(tf.tensor1d([0, 1, 1, 2], 'int32'), tf.tensor1d([0, 1, 2, 2], 'int32'));
    const c = await st.plot.confusionMatrix(cm, join(dir, 'cm.png'));
    expect(decode(join(dir, 'cm.png')).width).toBe(c.width);
    tf.dispose([img, cam]);
  });

  it('rasters refuse absurd sizes', () => {
    expect(() => new st.plot.Raster(1e6, 10)).toThrow(st.ValueError);
  });
});
