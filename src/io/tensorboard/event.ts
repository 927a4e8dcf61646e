// Event and Summary protobufs (tensorboard/compat/proto/event.proto, summary.proto) and the
// HParams plugin's summaries (tensorboard/plugins/hparams/plugin_data.proto).
import { ProtoWriter } from './protobuf.js';
import type { Histogram } from './histogram.js';

/** What one summary value holds. */
export type SummaryValue =
  | {
    /** The value's tag (its name in TensorBoard). */
    tag: string;
    /** A scalar value. */
    kind: 'scalar';
    /** The scalar (stored as a 32-bit float). */
    value: number;
  }
  | {
    /** The value's tag (its name in TensorBoard). */
    tag: string;
    /** A histogram value. */
    kind: 'histogram';
    /** The histogram's statistics and buckets. */
    histogram: Histogram;
  }
  | {
    /** The value's tag (its name in TensorBoard). */
    tag: string;
    /** An image value. */
    kind: 'image';
    /** The PNG-encoded image. */
    png: Uint8Array;
    /** Width in pixels. */
    width: number;
    /** Height in pixels. */
    height: number;
    /** Colour channels (1, 3 or 4). */
    channels: number;
  }
  | {
    /** The value's tag (its name in TensorBoard). */
    tag: string;
    /** Plugin data (the HParams plugin's summaries, say). */
    kind: 'plugin';
    /** The plugin's name (`'hparams'`). */
    plugin: string;
    /** The plugin's serialized content. */
    content: Uint8Array;
  };

function valueMessage(v: SummaryValue): ProtoWriter {
  const m = new ProtoWriter().string(1, v.tag);
  switch (v.kind) {
    case 'scalar':
      return m.float(2, v.value);
    case 'histogram': {
      const h = v.histogram;
      return m.message(5, new ProtoWriter().double(1, h.min).double(2, h.max).double(3, h.num).double(4, h.sum)
        .double(5, h.sumSquares).packedDoubles(6, h.bucketLimit).packedDoubles(7, h.bucket));
    }
    case 'image':
      return m.message(4, new ProtoWriter().uint(1, v.height).uint(2, v.width).uint(3, v.channels).bytes(4, v.png));
    case 'plugin': {
      const meta = new ProtoWriter().message(1, new ProtoWriter().string(1, v.plugin).bytes(2, v.content));
      // An empty float tensor, shape [0], as the plugin's own writer attaches.
      const nullTensor = new ProtoWriter().uint(1, 1).message(2, new ProtoWriter().message(2, new ProtoWriter()));
      return m.message(9, meta).message(8, nullTensor);
    }
  }
}

/** An Event holding one Summary of `values` at `step`. */
export function summaryEvent(values: readonly SummaryValue[], step: number, wallTime: number): Uint8Array {
  const summary = new ProtoWriter();
  for (const v of values) summary.message(1, valueMessage(v));
  return new ProtoWriter().double(1, wallTime).uint(2, step).message(5, summary).finish();
}

/** The first event of every file: the format version. */
export function fileVersionEvent(wallTime: number): Uint8Array {
  return new ProtoWriter().double(1, wallTime).string(3, 'brain.Event:2').finish();
}

/** A hyperparameter value as `google.protobuf.Value`. */
function protoValue(v: number | string | boolean): ProtoWriter {
  if (typeof v === 'number') return new ProtoWriter().double(2, v);
  if (typeof v === 'string') return new ProtoWriter().string(3, v);
  return new ProtoWriter().uint(4, v);
}

/** The HParams plugin's session-start summary content: the trial's hyperparameters. */
export function hparamsSessionStart(hparams: Record<string, number | string | boolean>, groupName: string, startTimeSecs: number): Uint8Array {
  const start = new ProtoWriter();
  for (const [k, v] of Object.entries(hparams)) start.message(1, new ProtoWriter().string(1, k).message(2, protoValue(v)));
  start.string(4, groupName).double(5, startTimeSecs);
  return new ProtoWriter().uint(1, 0).message(3, start).finish();
}

/** The HParams plugin's session-end summary content (status 1 = success, 2 = failure). */
export function hparamsSessionEnd(status: 1 | 2, endTimeSecs: number): Uint8Array {
  return new ProtoWriter().uint(1, 0).message(4, new ProtoWriter().uint(1, status).double(2, endTimeSecs)).finish();
}

/** A hyperparameter's domain for the experiment summary. */
export type HParamDomain =
  | {
    /** The discrete values the hyperparameter takes. */
    values: (number | string | boolean)[];
  }
  | {
    /** Lower bound of a real interval. */
    min: number;
    /** Upper bound of a real interval. */
    max: number;
  };

/**
 * The HParams plugin's experiment summary content: the hyperparameters (with domains) and
 * the metric tags shown as columns.
 */
export function hparamsExperiment(hparams: Record<string, HParamDomain>, metrics: readonly { group: string; tag: string }[], timeCreatedSecs: number): Uint8Array {
  const exp = new ProtoWriter().double(3, timeCreatedSecs);
  for (const [name, d] of Object.entries(hparams)) {
    const info = new ProtoWriter().string(1, name);
    if ('values' in d) {
      const type = typeof d.values[0] === 'number' ? 3 : typeof d.values[0] === 'boolean' ? 2 : 1;
      const list = new ProtoWriter();
      for (const v of d.values) list.message(1, protoValue(v));
      info.uint(4, type).message(5, list);
    } else {
      info.uint(4, 3).message(6, new ProtoWriter().double(1, d.min).double(2, d.max));
    }
    exp.message(4, info);
  }
  for (const m of metrics) exp.message(5, new ProtoWriter().message(1, new ProtoWriter().string(1, m.group).string(2, m.tag)));
  return new ProtoWriter().uint(1, 0).message(2, exp).finish();
}
