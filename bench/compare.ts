/**
 * Ratios between two sides of a job, on both time bases (wall clock and CPU time), and
 * how they read in a table cell.
 */
import type { SideResult } from './result.js';

/** strata's throughput divided by a peer's. */
export interface Ratio {
  wall?: number;
  cpu?: number;
  /** Whether the peer timed out, so the ratios are lower bounds. */
  atLeast?: boolean;
  /** Why there is no ratio (a side failed or did not run). */
  note?: string;
  /** Whether the missing ratio is the peer's fault (it cannot run the job). */
  peerFails?: boolean;
}

/** Finds the result of one side on one backend (and, for strata, one thread setting; undefined = its default). */
export function find(results: SideResult[], job: string, side: string, backend: string, threads?: number): SideResult | undefined {
  return results.find((r) => r.job === job && r.side === side && r.backend === backend && r.threads === threads);
}

/** strata ÷ peer for two results of the same job. */
export function ratio(strata: SideResult | undefined, peer: SideResult | undefined): Ratio {
  if (!strata || !peer) return { note: 'not run' };
  if (strata.status === 'timeout' && peer.status === 'timeout') return { note: 'both timed out' };
  if (strata.status !== 'ok') return { note: `strata ${strata.status === 'fails' ? 'fails' : 'timed out'}` };
  if (peer.status === 'fails') return { note: `${peer.side} fails`, peerFails: true };
  if (peer.status === 'timeout') {
    if (peer.upperBound === undefined || peer.upperBoundCpu === undefined) return { note: `${peer.side} timed out before its timed step` };
    return {
      wall: strata.wallSamplesPerSec! / peer.upperBound,
      cpu: strata.cpuSamplesPerSec! / peer.upperBoundCpu,
      atLeast: true,
    };
  }
  return {
    wall: strata.wallSamplesPerSec! / peer.wallSamplesPerSec!,
    cpu: strata.cpuSamplesPerSec! / peer.cpuSamplesPerSec!,
  };
}

function times(x: number): string {
  return `${x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2)}×`;
}

/** A ratio as a table cell: `wall / CPU`, with `>` when the peer timed out. */
export function ratioCell(r: Ratio): string {
  if (r.wall === undefined || r.cpu === undefined) return r.note ?? '—';
  const gt = r.atLeast ? '> ' : '';
  return `${gt}${times(r.wall)} / ${gt}${times(r.cpu)}${r.atLeast ? ' (peer timed out)' : ''}`;
}

/** The smaller of the ratio's two bases (the conservative reading), if any. */
export function conservative(r: Ratio): number | undefined {
  if (r.wall === undefined || r.cpu === undefined) return undefined;
  return Math.min(r.wall, r.cpu);
}
