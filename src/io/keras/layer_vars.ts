/**
 * A layer's variables as Keras weight files hold them. Keras 3 files (`.keras`,
 * `.weights.h5`) keep each Keras object's variables at `<path>/vars/<i>` and nest child
 * objects below it (`layers/lstm/cell/vars/0`, `layers/bidirectional/forward_layer/cell/vars/1`,
 * `layers/time_distributed/layer/vars/0`); legacy `.h5` files list a layer's weights flat, in
 * Keras' `layer.weights` order. Both come from the layer's {@link Layer.kerasVariables}.
 * @module
 */
import { SerializationError } from '../../engine/errors.js';
import { kerasWeightList, type KerasVariables } from '../../engine/keras_variables.js';
import type { Layer } from '../../engine/layer.js';
import type { LayerWeight } from '../../engine/weight.js';

/** One Keras object's variables and the weight-file group (`…/vars`) that holds them. */
export interface VarGroup {
  /** The group's path, ending in `/vars`. */
  path: string;
  /** Its variables, `vars/0`, `vars/1`, … */
  vars: LayerWeight[];
}

function groups(tree: KerasVariables, path: string, out: VarGroup[]): VarGroup[] {
  out.push({ path: `${path}/vars`, vars: tree.vars });
  for (const [name, child] of tree.children ?? []) groups(child, `${path}/${name}`, out);
  return out;
}

/** The `vars` groups of a layer stored at `path` (e.g. `layers/lstm`): its own first, then its children's, depth first. */
export function kerasVarGroups(layer: Layer, path: string): VarGroup[] {
  return groups(layer.kerasVariables(), path, []);
}

/** A layer's weights in Keras' `layer.weights` order (legacy `.h5` `weight_names`, `get_weights()`). */
export function kerasWeightOrder(layer: Layer): LayerWeight[] {
  return kerasWeightList(layer.kerasVariables());
}

/** One saved weight: its short name (`kernel`, `moving_mean`; '' when unknown), shape and values. */
export interface SavedWeight {
  name: string;
  shape: number[];
  values: Float32Array;
}

/** Saved short names strata calls otherwise (Keras 3 names a depthwise kernel `kernel`). */
const ALIASES: Readonly<Record<string, string>> = { depthwise_kernel: 'kernel' };

/** `conv1/kernel:0`, `lstm/lstm_cell/kernel` → `kernel`. */
export function shortWeightName(saved: string): string {
  return saved.replace(/:\d+$/, '').split('/').pop() ?? '';
}

const count = (names: string[], n: string) => names.filter((x) => x === n).length;

/**
 * Pairs a layer's weights (in {@link kerasWeightOrder}) with its saved weights: by short name
 * where the name is unique on both sides, else by position (Bidirectional holds two
 * `kernel`s: forward first, as Keras lists them). Counts and shapes are checked.
 * @throws SerializationError naming the layer and the weight.
 */
export function pairSaved(layer: Layer, saved: SavedWeight[], owner: string): [LayerWeight, SavedWeight][] {
  const ws = kerasWeightOrder(layer);
  if (ws.length !== saved.length) {
    throw new SerializationError(`${owner}: layer '${layer.name}' has ${ws.length} weights; the file has ${saved.length} for it`);
  }
  const mine = ws.map((w) => w.shortName);
  const theirs = saved.map((s) => s.name);
  const pairs = ws.map((w, i): [LayerWeight, SavedWeight] => {
    const alias = Object.prototype.hasOwnProperty.call(ALIASES, w.shortName) ? ALIASES[w.shortName] : undefined;
    const byName = count(mine, w.shortName) === 1
      ? saved.find((s) => s.name !== '' && (s.name === w.shortName || s.name === alias) && count(theirs, s.name) === 1)
      : undefined;
    const s = byName ?? saved[i]!;
    if (s.shape.length !== w.shape.length || s.shape.some((d, j) => d !== w.shape[j])) {
      throw new SerializationError(`${owner}: weight '${w.name}' has shape [${w.shape}]; the file's '${s.name || i}' has [${s.shape}]`);
    }
    return [w, s];
  });
  if (new Set(pairs.map(([, s]) => s)).size !== pairs.length) {
    throw new SerializationError(`${owner}: the saved weights of layer '${layer.name}' (${theirs.join(', ')}) do not match its weights (${mine.join(', ')}) one to one`);
  }
  return pairs;
}
