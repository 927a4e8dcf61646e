/** A running test server. */
export interface StrataServer {
  /** `http://127.0.0.1:<port>`, without a trailing slash. */
  url: string;
  port: number;
  close(): Promise<void>;
}

/** Options of {@link startServer}. */
export interface ServeOptions {
  /** Port to listen on; 0 (default) picks a free one. */
  port?: number;
  /** Folder served as `/dist/`. Default: the repository's dist/. */
  dist?: string;
  /** More URL prefixes (ending in `/`) served from folders. */
  mounts?: Record<string, string>;
}

/** Starts the static server on 127.0.0.1 with COOP/COEP headers. */
export function startServer(opts?: ServeOptions): Promise<StrataServer>;

/** The first `n` records of an IDX file, with the record count in its header rewritten. */
export function idxSubset(path: string, n: number): Buffer;
