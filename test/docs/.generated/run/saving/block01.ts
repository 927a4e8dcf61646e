// docs/saving.md:26 (block 1)
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import * as st from '../../../../../src/index.js';

const net = st.sequential([
  st.layers.input({ shape: [4] }),
  st.layers.dense({ units: 8, activation: 'relu' }),
  st.layers.dense({ units: 3, activation: 'softmax' }),
]);

const dir = join(mkdtempSync(join(tmpdir(), 'strata-')), 'my-model');
await st.saveModel(net, `file://${dir}`);
console.log(readdirSync(dir));                  // ['model.json', 'model.weights.<hash>.bin']
const again = await st.loadModel(`file://${dir}/model.json`);
again.summary();
net.dispose();
again.dispose();
rmSync(dirname(dir), { recursive: true });
export {};
