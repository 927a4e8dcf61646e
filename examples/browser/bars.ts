// Class probabilities as horizontal bars, the most likely class highlighted.

/** Ten bars, one per digit; `show` updates them. */
export class ProbabilityBars {
  private readonly rows: { row: HTMLElement; fill: HTMLElement; pct: HTMLElement }[] = [];

  constructor(private readonly root: HTMLElement) {
    for (let digit = 0; digit < 10; digit++) {
      const row = document.createElement('div');
      row.className = 'bar';
      row.innerHTML = `<b>${digit}</b><div class="track"><div class="fill"></div></div><span>–</span>`;
      root.append(row);
      this.rows.push({ row, fill: row.querySelector('.fill')!, pct: row.querySelector('span')! });
    }
  }

  /** Shows one probability per class (they sum to 1). */
  show(probs: ArrayLike<number>): void {
    let top = 0;
    for (let i = 1; i < 10; i++) if (probs[i]! > probs[top]!) top = i;
    this.rows.forEach(({ row, fill, pct }, i) => {
      const p = probs[i] ?? 0;
      fill.style.width = `${(100 * p).toFixed(1)}%`;
      pct.textContent = `${(100 * p).toFixed(1)}%`;
      row.classList.toggle('top', i === top);
    });
    this.root.dataset.prediction = String(top);
  }

  /** Empties the bars. */
  clear(): void {
    for (const { row, fill, pct } of this.rows) {
      fill.style.width = '0';
      pct.textContent = '–';
      row.classList.remove('top');
    }
    delete this.root.dataset.prediction;
  }
}
