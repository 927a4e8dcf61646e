/**
 * The command loop of a Node benchmark child: it reads commands from stdin, drives one
 * {@link Workload} (built by the side's own module) and writes replies to stdout.
 */
import { createInterface } from 'node:readline';
import { REPLY_PREFIX, type Command, type InitialCheck, type Reply, type SetupCommand, type Timing } from './protocol.js';

/** One side's model and data, ready to be timed. */
export interface Workload {
  /** The backend the work really runs on. */
  backend: string;
  /** Checksum of the loaded data (see `checksum` in mnist_idx.ts). */
  checksum: number;
  /** Untimed: loss and predictions of the first samples at the initial weights (called before `warmUp`, which trains). */
  initialCheck(): Promise<InitialCheck>;
  /** Untimed: runs every code path once on a few samples (JIT, kernel set-up). */
  warmUp(): Promise<void>;
  /** Untimed: makes the inputs of a run of `steps` steps. */
  prepare(steps: number): void;
  /** Timed: the run prepared last, finished (results read back) when it resolves. */
  run(): Promise<void>;
}

function send(reply: Reply): void {
  // Writes to a pipe are synchronous in Node on Linux, so nothing is lost on exit.
  process.stdout.write(`${REPLY_PREFIX}${JSON.stringify(reply)}\n`);
}

async function timed(work: Workload, steps: number): Promise<Timing> {
  work.prepare(steps);
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  await work.run();
  const wallSec = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  return { steps, wallSec, cpuSec: (cpu.user + cpu.system) / 1e6 };
}

function firstLine(e: unknown): string {
  const text = e instanceof Error ? e.message : String(e);
  return text.split('\n')[0]!.slice(0, 300);
}

/** Serves the protocol with workloads made by `create`, until `finish`. */
export function serve(create: (setup: SetupCommand) => Promise<Workload>): void {
  let work: Workload | undefined;
  const handle = async (c: Command): Promise<void> => {
    try {
      if (c.cmd === 'setup') {
        work = await create(c);
        const initial = await work.initialCheck();
        await work.warmUp();
        send({ type: 'calibrating' });
        const calibration = await timed(work, 1);
        send({ type: 'ready', backend: work.backend, checksum: work.checksum, initial, calibration });
      } else if (c.cmd === 'rep') {
        if (!work) throw new Error('rep before a successful setup');
        send({ type: 'rep', ...(await timed(work, c.steps)) });
      } else {
        send({ type: 'finish', maxRssMb: process.resourceUsage().maxRSS / 1024 });
        process.exit(0);
      }
    } catch (e) {
      send({ type: 'error', message: firstLine(e) });
    }
  };
  let queue = Promise.resolve();
  const lines = createInterface({ input: process.stdin });
  lines.on('line', (line) => {
    queue = queue.then(() => handle(JSON.parse(line) as Command));
  });
  // A parent that went away closes stdin; finish what is queued, then leave.
  lines.on('close', () => void queue.then(() => process.exit(0)));
}
