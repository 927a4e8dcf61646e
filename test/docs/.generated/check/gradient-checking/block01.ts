// docs/gradient-checking.md:32 (block 1)
import * as st from 'strata';

const { tf } = st;

interface LearnedSwishOptions extends st.LayerOptions {
  /** Initial slope β. Default 1. */
  beta?: number;
}

class LearnedSwish extends st.Layer {
  readonly className = 'LearnedSwish';
  private beta?: st.LayerWeight;

  constructor(private readonly opts: LearnedSwishOptions = {}) {
    super(opts);
  }

  protected override build(inputShape: st.Shape | st.Shape[]): void {
    const features = (inputShape as st.Shape).at(-1);
    if (!features) throw new st.ShapeError(`${this.label}: the last input dimension must be known`);
    this.beta = this.addWeight('beta', [features], st.initializers.constant({ value: this.opts.beta ?? 1 }));
  }

  call(inputs: st.tf.Tensor | st.tf.Tensor[]): st.tf.Tensor {
    const x = inputs as st.tf.Tensor;
    return tf.mul(x, tf.sigmoid(tf.mul(this.beta!.read(), x)));
  }

  override getConfig(): LearnedSwishOptions {
    return { ...super.getConfig(), beta: this.opts.beta ?? 1 };
  }
}

// Check it: gradients for the input and for beta.
const layer = new LearnedSwish({ beta: 0.5 });
const x = tf.randomNormal([4, 3], 0, 1, 'float32', 1);
tf.dispose(layer.apply(x));                      // builds the layer
const report = st.testing.checkGradients((t) => layer.apply(t) as st.tf.Tensor, [x], { weights: layer.weights });
console.log(report.toString());
if (!report.passed) throw new Error(report.toString());

// Use it like any other layer.
const net = st.sequential([
  st.layers.input({ shape: [3] }),
  st.layers.dense({ units: 8 }),
  new LearnedSwish(),
  st.layers.dense({ units: 1 }),
]);
net.compile({ optimizer: 'adam', loss: 'mse' });
const y = tf.randomNormal([32, 1]);
const xs = tf.randomNormal([32, 3]);
await net.fit(xs, y, { epochs: 2, verbose: 0 });
tf.dispose([x, xs, y]);
layer.dispose();
net.dispose();
export {};
