// docs/models.md:78 (block 3)
import * as st from 'strata';

const { tf } = st;
const a = st.layers.input({ shape: [3], name: 'a' });
const b = st.layers.input({ shape: [2], name: 'b' });
const h = st.layers.concatenate().apply([
  st.layers.dense({ units: 8, activation: 'relu' }).apply(a),
  st.layers.dense({ units: 8, activation: 'relu' }).apply(b),
]) as st.SymbolicTensor;
const reg = st.layers.dense({ units: 1, name: 'reg' }).apply(h);
const cls = st.layers.dense({ units: 3, activation: 'softmax', name: 'cls' }).apply(h);
const m = st.model({ inputs: [a, b], outputs: [reg, cls] });

m.compile({
  optimizer: st.optimizers.adam({ learningRate: 0.01 }),
  loss: { reg: 'mse', cls: 'sparse_categorical_crossentropy' },
  lossWeights: { reg: 1, cls: 0.5 },
  metrics: { reg: [], cls: ['accuracy'] },     // every output named, [] for none
});
const xa = tf.randomNormal([64, 3]);
const xb = tf.randomNormal([64, 2]);
const yReg = tf.randomNormal([64, 1]);
const yCls = tf.randomUniform([64], 0, 3, 'int32');
const history = await m.fit({ a: xa, b: xb }, { reg: yReg, cls: yCls }, { epochs: 2, batchSize: 16, verbose: 0 });
console.log(Object.keys(history.history));   // loss, reg_loss, cls_loss, cls_accuracy

const [pReg, pCls] = m.predict([xa, xb]) as st.tf.Tensor[];
console.log(pReg!.shape, pCls!.shape);        // [64, 1] [64, 3]
tf.dispose([xa, xb, yReg, yCls, pReg!, pCls!]);
m.dispose();
export {};
