// A one-line spinner with the elapsed time on stderr, for solves that take a while.

/** Where the line goes: stderr in the CLI; `columns` keeps it from wrapping, which would break the \r redraw. */
export type ProgressStream = { write(text: string): unknown; columns?: number | undefined };

export type ProgressOptions = {
  /** Nothing shows before this: a short solve should leave no trace. */
  delayMs?: number;
  intervalMs?: number;
  now?: () => number;
};

export type Progress = {
  /** What is being done, e.g. "trying 7 GPUs"; shown from the next redraw. */
  update(label: string): void;
  /** Clears the line if it was drawn. Safe to call twice. */
  stop(): void;
};

const FRAMES = "⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏";
const CLEAR = "\r\x1b[K";

/**
 * Only on a terminal: redraws with \r would litter a log file or a pipe, and
 * `--json` with stdout piped is a script, which wants stderr quiet too.
 */
export function wantsProgress(streams: { stderrIsTTY: boolean; stdoutIsTTY: boolean; json: boolean }): boolean {
  return streams.stderrIsTTY && !(streams.json && !streams.stdoutIsTTY);
}

export function startProgress(stream: ProgressStream, label: string, options: ProgressOptions = {}): Progress {
  const { delayMs = 1000, intervalMs = 100, now = () => performance.now() } = options;
  const start = now();
  let frame = 0;
  let shown = false;
  let interval: ReturnType<typeof setInterval> | undefined;
  const draw = () => {
    const seconds = ((now() - start) / 1000).toFixed(1);
    let line = `${FRAMES[frame % FRAMES.length] as string} ${label} · ${seconds} s`;
    const width = stream.columns;
    if (width !== undefined && width > 1 && line.length >= width) line = `${line.slice(0, width - 2)}…`;
    frame++;
    shown = true;
    stream.write(`${CLEAR}${line}`);
  };
  // Unreferenced: a forgotten stop() must not keep the process alive.
  const delay = setTimeout(() => {
    draw();
    interval = setInterval(draw, intervalMs);
    interval.unref?.();
  }, delayMs);
  delay.unref?.();
  return {
    update(next) {
      label = next;
    },
    stop() {
      clearTimeout(delay);
      if (interval !== undefined) clearInterval(interval);
      if (shown) stream.write(CLEAR);
      shown = false;
    },
  };
}
