// docs/training.md:211 (block 7)
import * as st from 'strata';

const { tf } = st;
const x = tf.randomNormal([64, 4]);
const y = tf.randomNormal([64, 1]);
const net = st.sequential([st.layers.dense({ units: 1, inputShape: [4] })]);
net.compile({ optimizer: st.optimizers.sgd({ learningRate: 0.05 }), loss: 'mse' });

class StopBelow extends st.callbacks.Callback {
  constructor(private readonly target: number) { super(); }
  override onEpochEnd(epoch: number, logs: st.Logs) {
    if (logs.loss! < this.target && this.model) this.model.stopTraining = true;
  }
}

const history = await net.fit(x, y, {
  epochs: 50,
  verbose: 0,
  validationSplit: 0.25,
  callbacks: [
    st.callbacks.earlyStopping({ monitor: 'val_loss', patience: 3, restoreBestWeights: true }),
    st.callbacks.reduceLROnPlateau({ factor: 0.5, patience: 2 }),
    new StopBelow(0.5),
    { onEpochEnd: (epoch, logs) => { if (epoch % 10 === 0) console.log(epoch, logs!.loss); } },
  ],
});
console.log(`stopped after ${history.epoch.length} epochs`);
tf.dispose([x, y]);
net.dispose();
export {};
