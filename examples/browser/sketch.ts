// A drawing pad (white strokes on black, like MNIST) and the preprocessing MNIST's
// digits went through: the drawing's bounding box scaled to fit 20×20, placed in a 28×28
// image so that its centre of mass sits at the centre.

/** A canvas to draw on with mouse, pen or touch; calls `onStroke` while drawing and at the end. */
export class SketchPad {
  private drawing = false;
  private last: { x: number; y: number } | undefined;
  private readonly ctx: CanvasRenderingContext2D;
  /** Whether anything has been drawn since the last clear. */
  empty = true;

  constructor(readonly canvas: HTMLCanvasElement, private readonly onStroke: (final: boolean) => void) {
    this.ctx = canvas.getContext('2d', { willReadFrequently: true })!;
    this.clear();
    canvas.addEventListener('pointerdown', (e) => {
      canvas.setPointerCapture(e.pointerId);
      this.drawing = true;
      this.last = this.point(e);
      this.dot(this.last);
    });
    canvas.addEventListener('pointermove', (e) => {
      if (!this.drawing) return;
      const p = this.point(e);
      this.segment(this.last!, p);
      this.last = p;
      this.onStroke(false);
    });
    const end = (): void => {
      if (!this.drawing) return;
      this.drawing = false;
      this.onStroke(true);
    };
    canvas.addEventListener('pointerup', end);
    canvas.addEventListener('pointercancel', end);
  }

  /** Paints the pad black. */
  clear(): void {
    this.ctx.fillStyle = '#000';
    this.ctx.fillRect(0, 0, this.canvas.width, this.canvas.height);
    this.empty = true;
  }

  private point(e: PointerEvent): { x: number; y: number } {
    const r = this.canvas.getBoundingClientRect();
    return { x: ((e.clientX - r.left) * this.canvas.width) / r.width, y: ((e.clientY - r.top) * this.canvas.height) / r.height };
  }

  private dot(p: { x: number; y: number }): void {
    this.segment(p, p);
  }

  private segment(a: { x: number; y: number }, b: { x: number; y: number }): void {
    const { ctx } = this;
    ctx.strokeStyle = '#fff';
    ctx.lineWidth = this.canvas.width / 13;
    ctx.lineCap = 'round';
    ctx.lineJoin = 'round';
    ctx.beginPath();
    ctx.moveTo(a.x, a.y);
    ctx.lineTo(b.x, b.y);
    ctx.stroke();
    this.empty = false;
  }

  /**
   * The drawing as MNIST sees digits: 28×28 grey levels in [0, 1], row-major; undefined
   * while the pad is empty. Also paints it into `preview` when given.
   */
  toMnist(preview?: HTMLCanvasElement): Float32Array | undefined {
    const { width, height } = this.canvas;
    const src = this.ctx.getImageData(0, 0, width, height).data;
    let x0 = width, y0 = height, x1 = -1, y1 = -1;
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        if (src[4 * (y * width + x)]! > 32) {
          x0 = Math.min(x0, x); x1 = Math.max(x1, x);
          y0 = Math.min(y0, y); y1 = Math.max(y1, y);
        }
      }
    }
    if (x1 < 0) return undefined;
    const bw = x1 - x0 + 1, bh = y1 - y0 + 1;
    const scale = 20 / Math.max(bw, bh);
    const small = document.createElement('canvas');
    small.width = small.height = 28;
    const sctx = small.getContext('2d', { willReadFrequently: true })!;
    sctx.imageSmoothingEnabled = true;
    sctx.imageSmoothingQuality = 'high';
    const place = (dx: number, dy: number): Float32Array => {
      sctx.fillStyle = '#000';
      sctx.fillRect(0, 0, 28, 28);
      sctx.drawImage(this.canvas, x0, y0, bw, bh, dx, dy, bw * scale, bh * scale);
      const px = sctx.getImageData(0, 0, 28, 28).data;
      const out = new Float32Array(784);
      for (let i = 0; i < 784; i++) out[i] = px[4 * i]! / 255;
      return out;
    };
    // First centre the box, then shift so that the centre of mass lands on (14, 14).
    const dx = (28 - bw * scale) / 2, dy = (28 - bh * scale) / 2;
    const first = place(dx, dy);
    let mass = 0, mx = 0, my = 0;
    for (let i = 0; i < 784; i++) {
      mass += first[i]!;
      mx += first[i]! * (i % 28);
      my += first[i]! * Math.floor(i / 28);
    }
    const shiftX = mass > 0 ? 13.5 - mx / mass : 0;
    const shiftY = mass > 0 ? 13.5 - my / mass : 0;
    const img = place(dx + shiftX, dy + shiftY);
    if (preview) {
      const pctx = preview.getContext('2d')!;
      const data = pctx.createImageData(28, 28);
      for (let i = 0; i < 784; i++) {
        const v = Math.round(255 * img[i]!);
        data.data.set([v, v, v, 255], 4 * i);
      }
      pctx.putImageData(data, 0, 0);
    }
    return img;
  }
}
