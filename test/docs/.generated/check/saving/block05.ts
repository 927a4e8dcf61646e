// docs/saving.md:193 (block 5)
import * as st from 'strata';

const { tf } = st;

interface ScaleOptions extends st.LayerOptions {
  /** The factor. Default 2. */
  factor?: number;
}

/** Multiplies its input by a constant factor. */
class Scale extends st.Layer {
  static readonly className = 'Scale';
  readonly className = 'Scale';
  readonly factor: number;
  constructor(opts: ScaleOptions = {}) {
    super(opts);
    this.factor = opts.factor ?? 2;
  }
  call(inputs: st.tf.Tensor | st.tf.Tensor[]): st.tf.Tensor {
    return tf.mul(inputs as st.tf.Tensor, this.factor);
  }
  override getConfig(): ScaleOptions {
    return { ...super.getConfig(), factor: this.factor };
  }
}

const net = st.sequential([st.layers.input({ shape: [3] }), new Scale({ factor: 3 })]);
let saved: st.tf.io.ModelArtifacts | undefined;
await net.save(tf.io.withSaveHandler(async (a) => {
  saved = a;
  return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
}));

try {
  await st.loadModel(tf.io.fromMemory(saved!));
} catch (e) {
  console.log((e as Error).message);   // loadModel: layer 'scale': unknown layer class 'Scale'; known classes: … Register a custom class with st.registerLayer(MyLayer) …
}
const again = await st.loadModel(tf.io.fromMemory(saved!), { customLayers: [Scale] });
console.log((again.layers[0] as Scale).factor);   // 3
net.dispose();
again.dispose();
export {};
