import { ValueError } from '../../engine/errors.js';
import { fileVersionEvent, summaryEvent, type SummaryValue } from './event.js';
import { histogramOf } from './histogram.js';
import { encodePng } from './png.js';
import { frameRecord } from './record.js';

/** Where an event writer's records go (the Node file sink appends to an events file). */
export interface EventSink {
  /** Appends framed records. */
  write(bytes: Uint8Array): void | Promise<void>;
  /** Makes what was written durable. */
  flush?(): void | Promise<void>;
  /** Closes the sink. */
  close?(): void | Promise<void>;
}

/** Collects records in memory (browsers, tests). */
export class MemorySink implements EventSink {
  /** The framed records written so far, in order. */
  readonly chunks: Uint8Array[] = [];
  write(bytes: Uint8Array): void {
    this.chunks.push(bytes);
  }
  /** Everything written, as one file. */
  bytes(): Uint8Array {
    const out = new Uint8Array(this.chunks.reduce((s, c) => s + c.length, 0));
    let o = 0;
    for (const c of this.chunks) {
      out.set(c, o);
      o += c.length;
    }
    return out;
  }
}

/**
 * Writes TensorBoard event records (TFRecord framing around `Event` protobufs) to a sink:
 * the file-version event first, then one event per call. Writes are queued in order;
 * `flush` and `close` wait for them.
 */
export class EventWriter {
  private queue: Promise<void> = Promise.resolve();

  constructor(private readonly sink: EventSink, private readonly now: () => number = () => Date.now() / 1000) {
    this.push(fileVersionEvent(this.now()));
  }

  private push(event: Uint8Array): void {
    const rec = frameRecord(event);
    this.queue = this.queue.then(() => this.sink.write(rec));
  }

  /** Writes summary values at `step`. */
  values(values: readonly SummaryValue[], step: number): void {
    if (!Number.isInteger(step) || step < 0) throw new ValueError(`EventWriter: step must be an integer >= 0; got ${step}`);
    this.push(summaryEvent(values, step, this.now()));
  }

  /** A scalar (`tf.summary.scalar`). */
  scalar(tag: string, value: number, step: number): void {
    this.values([{ tag, kind: 'scalar', value }], step);
  }

  /** A histogram of `values` in `bins` equal-width buckets (default 30). */
  histogram(tag: string, values: ArrayLike<number>, step: number, bins = 30): void {
    this.values([{ tag, kind: 'histogram', histogram: histogramOf(values, bins) }], step);
  }

  /** An image from 8-bit pixels (row-major; 1, 3 or 4 channels), stored as PNG. */
  image(tag: string, pixels: Uint8Array, width: number, height: number, channels: 1 | 3 | 4, step: number): void {
    if (pixels.length !== width * height * channels) {
      throw new ValueError(`EventWriter.image '${tag}': expected ${width}×${height}×${channels} = ${width * height * channels} bytes; got ${pixels.length}`);
    }
    this.values([{ tag, kind: 'image', png: encodePng(pixels, width, height, channels), width, height, channels }], step);
  }

  /** Waits for queued writes and flushes the sink. */
  async flush(): Promise<void> {
    await this.queue;
    await this.sink.flush?.();
  }

  /** Flushes and closes the sink. */
  async close(): Promise<void> {
    await this.flush();
    await this.sink.close?.();
  }
}
