// docs/saving.md:30 (block 1)
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as st from '../../../../../src/index.js';

const net = st.sequential([
  st.layers.input({ shape: [4] }),
  st.layers.dense({ units: 8, activation: 'relu' }),
  st.layers.dense({ units: 3, activation: 'softmax' }),
]);
const dir = mkdtempSync(join(tmpdir(), 'strata-'));

await net.save(`file://${dir}/my-model`);              // tfjs-layers format: a folder
console.log(readdirSync(join(dir, 'my-model')));       // ['model.json', 'model.weights.<hash>.bin']
const again = await st.loadModel(`file://${dir}/my-model/model.json`);
again.summary();

await net.save(`file://${dir}/my-model.keras`);        // Keras 3 format: one file
const fromKeras = await st.loadModel(`file://${dir}/my-model.keras`);
console.log(fromKeras.layers.map((l) => l.className)); // ['Dense', 'Dense']

net.dispose();
again.dispose();
fromKeras.dispose();
rmSync(dir, { recursive: true });
export {};
