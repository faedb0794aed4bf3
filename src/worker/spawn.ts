// Starts solver-worker.js the way the host runtime wants: a module Web Worker where
// there is one (browsers, Deno, Bun), worker_threads in Node.
import { PlacementError } from "../errors.js";
import type { FromWorker, ToWorker } from "./protocol.js";

/** One running worker. After `terminate()` it reports nothing more. */
export type Channel = {
  post(message: ToWorker): void;
  terminate(): void;
  /** Node only: whether the worker keeps the process alive; an idle solver should not. */
  hold(busy: boolean): void;
};

export type ChannelEvents = {
  message(message: FromWorker): void;
  /** The worker died or could not start; it will answer nothing more. */
  failure(error: PlacementError): void;
};

const failed = (what: string) => new PlacementError("WORKER_FAILED", `the solver worker ${what}`);

export async function spawn(events: ChannelEvents): Promise<Channel> {
  return typeof Worker === "function" ? spawnWeb(events) : spawnNode(events);
}

function spawnWeb(events: ChannelEvents): Channel {
  // Written out in one expression so bundlers (Vite, webpack 5) see a worker
  // entry, bundle it with its imports and rewrite the URL, without a plugin.
  const worker = new Worker(new URL("./solver-worker.js", import.meta.url), { type: "module" });
  let live = true;
  worker.addEventListener("message", (e: MessageEvent<FromWorker>) => {
    if (live) events.message(e.data);
  });
  worker.addEventListener("error", (e: ErrorEvent) => {
    e.preventDefault();
    if (!live) return;
    live = false;
    worker.terminate();
    // A script that fails to load reports an ErrorEvent without a message.
    events.failure(failed(e.message ? `failed: ${e.message}` : "script could not be loaded or failed to start"));
  });
  worker.addEventListener("messageerror", () => {
    if (!live) return;
    live = false;
    worker.terminate();
    events.failure(failed("sent a message that could not be read"));
  });
  return {
    post: (message) => worker.postMessage(message),
    terminate: () => {
      live = false;
      worker.terminate();
    },
    hold: () => {},
  };
}

/** Not in the URL-in-constructor form: a browser bundle should not copy the worker a second time for this branch. */
const NODE_SCRIPT = "./solver-worker.js";

async function spawnNode(events: ChannelEvents): Promise<Channel> {
  // A variable specifier keeps bundlers from pulling a Node built-in into browser builds.
  const specifier = "node:worker_threads";
  const { Worker: NodeWorker } = (await import(/* @vite-ignore */ specifier)) as typeof import("node:worker_threads");
  // Not the parent's Node flags, which a worker inherits by default: some make no sense for a worker script
  // (`--input-type`, `--eval`) and stop it from starting; the worker needs none.
  const worker = new NodeWorker(new URL(NODE_SCRIPT, import.meta.url), { execArgv: [] });
  let live = true;
  const fail = (what: string) => {
    if (!live) return;
    live = false;
    void worker.terminate();
    events.failure(failed(what));
  };
  worker.on("message", (message: FromWorker) => {
    if (live) events.message(message);
  });
  worker.on("error", (e: Error) => fail(`failed: ${e.message}`));
  worker.on("messageerror", () => fail("sent a message that could not be read"));
  worker.on("exit", (code: number) => fail(`exited with code ${code}`));
  return {
    post: (message) => worker.postMessage(message),
    terminate: () => {
      live = false;
      void worker.terminate();
    },
    hold: (busy) => (busy ? worker.ref() : worker.unref()),
  };
}
