// What `kvplace --help` prints, and the short usage line after a usage error.

/** One line per command, shown after a usage error in that command. */
export const COMMAND_USAGE = {
  solve:
    "kvplace solve <file> [--gpus N|LIST | --gpus-file gpus.csv] [--gpu-mem GB] [--spread G=LEVEL,…] [--failover gpu|node] [--failover-kvpr X] [--max-moves K] [--max-move-cost X] [--min-gain F] [--json] [options]",
  evaluate:
    "kvplace evaluate <file> [--gpus N|LIST | --gpus-file gpus.csv] [--gpu-mem GB] [--spread G=LEVEL,…] [--failover gpu|node] [--failover-kvpr X] [--json]",
  frontier:
    "kvplace frontier <file> [--by moves|cost] [--budgets B,B,…] [--gpus N|LIST | --gpus-file gpus.csv] [--gpu-mem GB] [--spread G=LEVEL,…] [--json] [options]",
  plan: "kvplace plan <file> --target-kvpr X [--gpu-mem GB | --gpu-types types.csv] [--json] [options]",
  bench: "kvplace bench [--suite adrs50|<file>] [--repeats N] [--json]",
} as const;

const USAGE = `usage: ${COMMAND_USAGE.solve}
       ${COMMAND_USAGE.evaluate}
       ${COMMAND_USAGE.frontier}
       ${COMMAND_USAGE.plan}
       ${COMMAND_USAGE.bench}
       kvplace --help | --version`;

/** The short usage after an error: the command's own line, or the list of commands. */
export function usageLine(command: string | undefined): string {
  const line =
    command !== undefined && Object.hasOwn(COMMAND_USAGE, command)
      ? COMMAND_USAGE[command as keyof typeof COMMAND_USAGE]
      : "kvplace solve|evaluate|frontier|plan|bench …";
  return `usage: ${line}   (kvplace --help for more)`;
}

export const HELP = `kvplace: place LLMs on GPUs to minimize the worst KV-cache pressure (KVPR)

${USAGE}

<file> is JSON, a problem { "gpus": N or [{ "id", "memGB", "node", "zone", "reserveGB" }],
"gpuMemGB": 80, "models": [...], "scenarios": [...], "spread": { "group": "node" } } or a list of
models, or CSV with the columns sizeGB,reqRate,slo[,id,currentGpu,pinnedGpu,group,colocate,minKvGB,
moveCost] (a group cell may name several groups: tp-a|llama) and, for demand scenarios, reqRate:<id>
columns (reqRate:peak,reqRate:night) (other columns are ignored, with a warning). Text starting
with { or [ is read as JSON, any other as CSV, whatever the file's name. "-" reads standard input.

solve: the placement as a table (or the Solution with --json), with the move plan
when models have a currentGpu.
  --gpus N|LIST       the number of GPUs, or their sizes in GB such as 80,80,2x40,a10:24
                      (2x40 is two of 40 GB, a10:24 names one); needed for CSV, replaces
                      the GPUs of a JSON file
  --gpus-file FILE    the GPUs from CSV id,memGB,node,zone,reserveGB (memGB required):
                      the table then groups them by node; replaces the file's GPUs
  --gpu-mem GB        the memory of every GPU given by count (default: the file's, else 80)
  --spread G=LEVEL,…  keep the members of group G on distinct GPUs, nodes or zones
                      (LEVEL gpu, node or zone; default gpu), such as llama=node,qwen=zone;
                      over the file's "spread"
  --failover gpu|node ask for a placement that survives the loss of any one GPU or node
                      (its models re-placed on the others, the rest staying put), and
                      print the max KVPR after each loss, the worst marked
  --failover-kvpr X   with --failover: the max KVPR after any loss stays at most X
  --max-moves K       move at most K models off their currentGpu
  --max-move-cost X   the models moved off their currentGpu cost at most X in all
                      (a model's moveCost, default its sizeGB: the weights to reload)
  --min-gain F        keep the current placement unless moving lowers its max KVPR
                      by at least the fraction F (0.05: 5%)
  --warm-start        improve the currentGpu placement instead of starting anew

evaluate: the placement the models' currentGpu give, scored: the table, its max KVPR,
every constraint it breaks and, with --failover, whether it survives each GPU or node loss.
  --gpus, --gpus-file, --gpu-mem, --spread, --failover, --failover-kvpr   as for solve

frontier: the best max KVPR within each move budget, each point warm-started from
the last, as a table (or the MoveFrontier with --json).
  --by moves|cost     budgets count moved models (default) or their move cost
  --budgets B,B,…     the budgets (default: by moves, every count from the moves pins
                      and groups force to the moves of the answer without a budget; by
                      cost, 17 even steps up to that answer's move cost)
  --gpus, --gpus-file, --gpu-mem, --spread   as for solve

plan: the fewest GPUs of one size that keep the max KVPR at or below a target, and
a proven lower bound on that count. It sizes a new pool, so currentGpu is ignored.
  --target-kvpr X     the target (required)
  --gpu-mem GB        the GPU to buy (default: the file's size, else 80)
  --gpu-types FILE    plan instead the cheapest pool of several GPU types, from CSV
                      name,memGB,cost[,available,owned] (cost per GPU bought; owned
                      GPUs are free; available caps what is bought): the GPUs per
                      type, their cost and a proven lower bound on it

solve, frontier and plan:
  --time-limit MS     time budget in milliseconds (default 1000; per point for frontier)
  --exact [true|false|auto]
                      prove optimality: keep searching (true, also a bare --exact),
                      heuristic only (false), or for small instances (auto, default)
  --max-nodes N       node limit of the exact search
  --engine wasm|ts    WebAssembly or TypeScript kernels (default wasm; same placements)
  --seed N            seed of the randomized improvement (default 1)
  --json              print only the result, as JSON

bench: round-robin, greedy and kvplace on a suite with known optima, as a table.
  --suite S           adrs50 (the bundled 50 ADRS cases, default) or a JSON file of that shape:
                      { "gpuMemGB": 80, "cases": [{ "gpuNum": 4, "optimalMaxKvpr": 0.05,
                        "models": [{ "name": "a", "sizeGB": 16, "reqRate": 9, "slo": 5 }] }] }
                      (gpuMemGB defaults to 80, name is optional). A placement below the
                      stated optimum counts as "better than stated", not at optimum.
  --repeats N         timing runs per case (default 20)

Exit status: 0 done, 1 an error (one line on stderr), 2 a wrong command line.`;
