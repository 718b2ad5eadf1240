/** Where the CLI writes what it reports: a terminal (progress redrawn in place) or a pipe/file (plain lines). */
export interface Output {
  write(text: string): void;
  /** A terminal: redraw the progress line in place. Otherwise print plain lines (CI logs). */
  readonly isTTY: boolean;
  /** Terminal width, when known. */
  readonly columns?: number;
}

/**
 * Set by a launcher for the ranks it starts: `tty` or `plain`, what its own standard output is.
 * (`mpirun` gives its ranks a pseudo-terminal even when its own output goes to a file.)
 */
export const PROGRESS_ENV = 'SYNCOPATE_PROGRESS';

/** `process.stdout` as an {@link Output}; {@link PROGRESS_ENV} overrides its terminal detection. */
export function stdoutOutput(env: NodeJS.ProcessEnv = process.env): Output {
  const stream = process.stdout;
  const forced = env[PROGRESS_ENV];
  return {
    write: (text) => void stream.write(text),
    get isTTY() {
      return forced === 'tty' || (forced !== 'plain' && stream.isTTY === true);
    },
    get columns() {
      return stream.columns;
    },
  };
}

/** An {@link Output} that keeps what is written, for tests. */
export function memoryOutput(isTTY = false): Output & { readonly text: () => string } {
  const parts: string[] = [];
  return { write: (text) => void parts.push(text), isTTY, columns: 100, text: () => parts.join('') };
}
