/**
 * Where progress text goes, without importing Node modules (this code runs in browsers
 * too): Node's `process.stdout` when it exists, else `console.log` of whole lines.
 */

/** Writes a piece of text: may hold `\r` (redraw the line) and `\n`. */
export type WriteFn = (text: string) => void;

interface StdoutLike {
  isTTY?: boolean;
  write?: (text: string) => unknown;
}

function stdout(): StdoutLike | undefined {
  const proc = (globalThis as { process?: { stdout?: StdoutLike } }).process;
  return proc?.stdout;
}

/**
 * The default verbosity of `fit`: 1 (live progress bar) when stdout is an interactive
 * terminal, else 2 (one line per epoch), as Keras does for logs and notebooks.
 */
export function verboseDefault(): 1 | 2 {
  return stdout()?.isTTY === true ? 1 : 2;
}

/**
 * A writer that prints whole lines with `console.log`: text is buffered up to each `\n`,
 * and a `\r` drops what came before it on the line (a redraw), so only final lines show.
 */
export function lineWriter(log: (line: string) => void = (l) => console.log(l)): WriteFn {
  let pending = '';
  return (text: string) => {
    pending += text;
    let nl = pending.indexOf('\n');
    while (nl >= 0) {
      const line = pending.slice(0, nl);
      log(line.slice(line.lastIndexOf('\r') + 1));
      pending = pending.slice(nl + 1);
      nl = pending.indexOf('\n');
    }
    pending = pending.slice(pending.lastIndexOf('\r') + 1);
  };
}

let fallback: WriteFn | undefined;
/** Whether the last text written through `writeStdout` left a line open (a live bar). */
let lineOpen = false;

/**
 * Writes to stdout: `process.stdout.write` in Node, else whole lines to `console.log`.
 * It remembers whether a line was left open, so `printMessage` can start a fresh one.
 */
export function writeStdout(text: string): void {
  if (text.length === 0) return;
  const out = stdout();
  if (typeof out?.write === 'function') out.write(text);
  else (fallback ??= lineWriter())(text);
  lineOpen = !text.endsWith('\n');
}

/**
 * Prints one message line from a callback (`Epoch 3: early stopping`). If a live progress
 * bar left its line open on stdout, the message starts on a new line instead of joining it.
 */
export function printMessage(message: string, level: 'log' | 'warn' = 'log'): void {
  if (lineOpen) writeStdout('\n');
  if (level === 'warn') console.warn(message);
  else writeStdout(`${message}\n`);
}
