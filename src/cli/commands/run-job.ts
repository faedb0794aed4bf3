// A job off the main thread with the progress line drawn meanwhile, when the terminal wants one.
import type { Job } from "../off-thread.js";
import { runOffThread } from "../off-thread.js";
import { startProgress, wantsProgress } from "../progress.js";

export async function runWithProgress<J extends Job>(job: J, label: string, json: boolean, trying?: (gpus: number) => string) {
  const show = wantsProgress({ stderrIsTTY: process.stderr.isTTY === true, stdoutIsTTY: process.stdout.isTTY === true, json });
  if (!show) return runOffThread(job);
  const progress = startProgress(process.stderr, label);
  // A handler replaces Node's default exit on Ctrl-C, so it must exit itself; first it clears the line.
  const interrupt = () => {
    progress.stop();
    process.stderr.write("kvplace: interrupted\n");
    process.exit(130);
  };
  process.once("SIGINT", interrupt);
  try {
    return await runOffThread(job, (gpus) => trying !== undefined && progress.update(trying(gpus)));
  } finally {
    process.off("SIGINT", interrupt);
    progress.stop();
  }
}
