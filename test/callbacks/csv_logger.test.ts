import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setBackend } from '../../src/backend/backends.js';
import { ValueError } from '../../src/engine/errors.js';
import { csvLogger } from '../../src/node/csv_logger.js';
import * as nodeCallbacks from '../../src/node/callbacks.js';
import { driveEpochs, FakeModel } from './fake_model.js';

let dir: string;
let model: FakeModel;

beforeAll(async () => {
  await setBackend('cpu');
  dir = mkdtempSync(join(tmpdir(), 'strata-csv-'));
  model = new FakeModel();
});

afterAll(() => {
  model.dispose();
  rmSync(dir, { recursive: true, force: true });
});

const read = (p: string) => readFileSync(p, 'utf8');

describe('csvLogger', () => {
  it('writes a header of sorted names and one row per epoch', async () => {
    const path = join(dir, 'a.csv');
    await driveEpochs(csvLogger(path), model, [
      { loss: 0.5, accuracy: 0.75, val_loss: 0.625, val_accuracy: 0.5 },
      { loss: 0.25, accuracy: 0.875, val_loss: 0.5, val_accuracy: 0.625 },
    ], { metrics: ['loss', 'accuracy', 'val_loss', 'val_accuracy'] });
    expect(read(path)).toBe('epoch,accuracy,loss,val_accuracy,val_loss\n0,0.75,0.5,0.5,0.625\n1,0.875,0.25,0.625,0.5\n');
  });

  it('writes NA for values an epoch lacks (validation every other epoch)', async () => {
    const path = join(dir, 'b.csv');
    await driveEpochs(csvLogger(path), model, [{ loss: 1 }, { loss: 0.5, val_loss: 0.75 }, { loss: 0.25 }], { metrics: ['loss', 'val_loss'] });
    expect(read(path)).toBe('epoch,loss,val_loss\n0,1,NA\n1,0.5,0.75\n2,0.25,NA\n');
  });

  it('overwrites by default, appends without a second header when asked', async () => {
    const path = join(dir, 'c.csv');
    writeFileSync(path, 'old contents\n');
    await driveEpochs(csvLogger(path), model, [{ loss: 1 }], { metrics: ['loss'] });
    expect(read(path)).toBe('epoch,loss\n0,1\n');
    await driveEpochs(csvLogger(path, { append: true }), model, [{ loss: 2 }, { loss: 3 }], { metrics: ['loss'] });
    expect(read(path)).toBe('epoch,loss\n0,1\n0,2\n1,3\n');
  });

  it('appending to a missing or empty file writes the header', async () => {
    const path = join(dir, 'd.csv');
    await driveEpochs(csvLogger(path, { append: true }), model, [{ loss: 1 }], { metrics: ['loss'] });
    expect(read(path)).toBe('epoch,loss\n0,1\n');
    writeFileSync(path, '');
    await driveEpochs(csvLogger(path, { append: true }), model, [{ loss: 4 }], { metrics: ['loss'] });
    expect(read(path)).toBe('epoch,loss\n0,4\n');
  });

  it('uses the separator and quotes names that hold it', async () => {
    const path = join(dir, 'e.csv');
    await driveEpochs(csvLogger(path, { separator: ';' }), model, [{ loss: 1.5, 'odd;name': 2, lr: NaN }], { metrics: [] });
    expect(read(path)).toBe('epoch;loss;lr;"odd;name"\n0;1.5;NaN;2\n');
  });

  it('is in the Node callbacks namespace and rejects bad options', () => {
    expect(nodeCallbacks.csvLogger).toBe(csvLogger);
    expect(typeof nodeCallbacks.earlyStopping).toBe('function');
    expect(() => csvLogger('')).toThrow(ValueError);
    expect(() => csvLogger(join(dir, 'f.csv'), { separator: '' })).toThrow(/separator/);
    expect(() => csvLogger(join(dir, 'f.csv'), { separator: '\n' })).toThrow(/separator/);
  });
});
