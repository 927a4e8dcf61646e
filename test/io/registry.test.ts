/** Custom layers: the explicit registry, `registerLayer`, `customLayers` for one load. */
import { beforeAll, describe, expect, it } from 'vitest';
import { memory, noLeak } from './helpers.js';
import * as st from './st.js';

const { tf } = st;
const L = st.layers;

beforeAll(async () => {
  await st.setBackend('cpu');
});

interface ScaleOptions extends st.LayerOptions {
  /** Multiplier. Default 1. */
  factor?: number;
}

/** A user layer: multiplies by a learned per-feature weight and a fixed factor. */
class Scale extends st.Layer {
  static readonly className = 'Scale';
  readonly className = 'Scale';
  readonly factor: number;
  private w?: st.LayerWeight;
  constructor(opts: ScaleOptions = {}) {
    super(opts);
    this.factor = opts.factor ?? 1;
  }
  protected override build(shape: st.Shape): void {
    this.w = this.addWeight('w', [shape[shape.length - 1] as number], st.initializers.randomUniform({ seed: 4 }));
  }
  call(x: st.tf.Tensor | st.tf.Tensor[], _ctx: st.CallContext): st.tf.Tensor {
    return tf.mul(tf.mul(x as st.tf.Tensor, this.w!.read()), this.factor);
  }
  override getConfig(): ScaleOptions {
    return { ...super.getConfig(), factor: this.factor };
  }
}

async function savedWithScale() {
  const m = st.sequential([L.input({ shape: [3] }), new Scale({ factor: 2 }), L.dense({ units: 2 })]);
  const mem = memory();
  await st.saveModel(m, mem.save);
  return { m, mem };
}

describe('layer registry', () => {
  it('lists the built-in layers and resolves Keras aliases', () => {
    const r = new st.LayerRegistry();
    expect(r.names()).toEqual(expect.arrayContaining(['Dense', 'Conv2D', 'DepthwiseConv2D', 'BatchNormalization', 'Add', 'Concatenate', 'ZeroPadding2D']));
    expect(r.get('MaxPool2D')).toBe(L.MaxPooling2D);
    expect(r.get('Scale')).toBeUndefined();
    expect(() => r.register(Scale, 'Sequential')).toThrow(st.ValueError);
  });

  it('an unknown class is a SerializationError listing the known ones, and frees what was built', async () => {
    const { m, mem } = await savedWithScale();
    const err = await noLeak(() => st.loadModel(mem.load()).catch((e: unknown) => e));
    expect(err).toBeInstanceOf(st.SerializationError);
    expect(String(err)).toMatch(/unknown layer class 'Scale'/);
    expect(String(err)).toMatch(/known classes: .*BatchNormalization.*Dense/);
    expect(String(err)).toMatch(/customLayers/);
    m.dispose();
  });

  it('customLayers applies to one load only', async () => {
    const { m, mem } = await savedWithScale();
    const again = await st.loadModel(mem.load(), { customLayers: [Scale] });
    expect(again.layers[0]).toBeInstanceOf(Scale);
    expect((again.layers[0] as Scale).factor).toBe(2);
    const x = tf.randomUniform([4, 3], -1, 1, 'float32', 1);
    const [a, b] = [m.predict(x) as st.tf.Tensor, again.predict(x) as st.tf.Tensor];
    expect(Array.from(b.dataSync())).toEqual(Array.from(a.dataSync()));
    await expect(st.loadModel(mem.load())).rejects.toThrow(/unknown layer class 'Scale'/);
    tf.dispose([x, a, b]);
    m.dispose();
    again.dispose();
  });

  it('an explicit registry, and registerLayer for the default one', async () => {
    const { m, mem } = await savedWithScale();
    const viaRegistry = await st.loadModel(mem.load(), { registry: new st.LayerRegistry().register(Scale) });
    expect(viaRegistry.layers[0]!.className).toBe('Scale');
    st.registerLayer(Scale);
    const viaDefault = await st.loadModel(mem.load());
    expect(viaDefault.layers[0]).toBeInstanceOf(Scale);
    for (const n of [m, viaRegistry, viaDefault]) n.dispose();
  });
});
