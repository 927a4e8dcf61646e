// A live line chart on a plain canvas: running loss (left axis) and accuracy (right
// axis, 0–1) against batches seen, with test accuracy marked at each epoch's end.

interface Point {
  step: number;
  value: number;
}

const LOSS_COLOR = '#e0712b';
const ACC_COLOR = '#2f6fde';
const PAD = { left: 46, right: 46, top: 26, bottom: 30 };

/** Draws training curves; call `add…` as values come and it redraws itself. */
export class TrainingChart {
  private readonly loss: Point[] = [];
  private readonly acc: Point[] = [];
  private readonly valAcc: Point[] = [];
  private totalSteps = 1;
  private readonly ctx: CanvasRenderingContext2D;

  constructor(private readonly canvas: HTMLCanvasElement) {
    // Sharp lines on high-density screens: draw at device pixels, lay out in CSS pixels.
    const ratio = window.devicePixelRatio || 1;
    const { width, height } = canvas;
    canvas.style.width = `${width}px`;
    canvas.style.height = `${height}px`;
    canvas.width = width * ratio;
    canvas.height = height * ratio;
    this.ctx = canvas.getContext('2d')!;
    this.ctx.scale(ratio, ratio);
    this.draw();
  }

  /** Clears the curves for a new run of `totalSteps` batches. */
  reset(totalSteps: number): void {
    this.loss.length = 0;
    this.acc.length = 0;
    this.valAcc.length = 0;
    this.totalSteps = Math.max(1, totalSteps);
    this.draw();
  }

  /** Adds the running loss and accuracy after `step` batches. */
  addBatch(step: number, loss: number, accuracy: number): void {
    this.loss.push({ step, value: loss });
    this.acc.push({ step, value: accuracy });
    this.canvas.dataset.points = String(this.loss.length);
    this.draw();
  }

  /** Marks the test accuracy reached after `step` batches (an epoch's end). */
  addEpoch(step: number, testAccuracy: number): void {
    this.valAcc.push({ step, value: testAccuracy });
    this.draw();
  }

  private get size(): { w: number; h: number } {
    return { w: parseFloat(this.canvas.style.width), h: parseFloat(this.canvas.style.height) };
  }

  private draw(): void {
    const { ctx } = this;
    const { w, h } = this.size;
    const plotW = w - PAD.left - PAD.right;
    const plotH = h - PAD.top - PAD.bottom;
    ctx.clearRect(0, 0, w, h);
    ctx.font = '11px system-ui, sans-serif';
    const maxLoss = Math.max(0.5, ...this.loss.map((p) => p.value)) * 1.05;
    const x = (step: number): number => PAD.left + (plotW * step) / this.totalSteps;
    const yLoss = (v: number): number => PAD.top + plotH * (1 - v / maxLoss);
    const yAcc = (v: number): number => PAD.top + plotH * (1 - v);

    ctx.strokeStyle = '#e3e6ee';
    ctx.lineWidth = 1;
    ctx.fillStyle = '#687086';
    for (let i = 0; i <= 4; i++) {
      const y = PAD.top + (plotH * i) / 4;
      ctx.beginPath();
      ctx.moveTo(PAD.left, y);
      ctx.lineTo(PAD.left + plotW, y);
      ctx.stroke();
      ctx.textAlign = 'right';
      ctx.fillText((maxLoss * (1 - i / 4)).toFixed(2), PAD.left - 6, y + 4);
      ctx.textAlign = 'left';
      ctx.fillText(`${Math.round(100 * (1 - i / 4))}%`, PAD.left + plotW + 6, y + 4);
    }
    ctx.textAlign = 'center';
    ctx.fillText('batches', PAD.left + plotW / 2, h - 8);
    ctx.fillText('0', x(0), PAD.top + plotH + 14);
    ctx.fillText(String(this.totalSteps), x(this.totalSteps), PAD.top + plotH + 14);

    this.line(this.loss, x, yLoss, LOSS_COLOR);
    this.line(this.acc, x, yAcc, ACC_COLOR);
    ctx.fillStyle = ACC_COLOR;
    for (const p of this.valAcc) {
      ctx.beginPath();
      ctx.arc(x(p.step), yAcc(p.value), 4.5, 0, 2 * Math.PI);
      ctx.fill();
      ctx.textAlign = 'right';
      ctx.fillText(`test ${(100 * p.value).toFixed(1)}%`, x(p.step) - 6, yAcc(p.value) + 16);
    }
    this.legend();
  }

  private line(points: Point[], x: (s: number) => number, y: (v: number) => number, color: string): void {
    if (points.length === 0) return;
    const { ctx } = this;
    ctx.strokeStyle = color;
    ctx.lineWidth = 2;
    ctx.beginPath();
    points.forEach((p, i) => (i === 0 ? ctx.moveTo(x(p.step), y(p.value)) : ctx.lineTo(x(p.step), y(p.value))));
    ctx.stroke();
  }

  private legend(): void {
    const { ctx } = this;
    const items: [string, string][] = [['loss (left)', LOSS_COLOR], ['accuracy (right)', ACC_COLOR]];
    let left = PAD.left;
    ctx.textAlign = 'left';
    for (const [label, color] of items) {
      ctx.fillStyle = color;
      ctx.fillRect(left, 9, 14, 3);
      ctx.fillStyle = '#1d2330';
      ctx.fillText(label, left + 19, 14);
      left += 30 + ctx.measureText(label).width;
    }
  }
}
