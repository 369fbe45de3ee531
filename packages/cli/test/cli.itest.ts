import { type ChildProcess, spawn } from "node:child_process";
import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { ListClustersCommand } from "@aws-sdk/client-ecs";
import { type AwsClients, createAwsClients } from "@dask-fargate-action/core";
import { awsLeftovers } from "@dask-fargate-action/testkit/aws-state";
import { resetMoto } from "@dask-fargate-action/testkit/moto-server";
import Docker from "dockerode";
import { afterAll, beforeAll, describe, expect, inject, test } from "vitest";

const docker = new Docker();
const image = inject("daskImage");
const main = fileURLToPath(new URL("../dist/main.js", import.meta.url));
const examples = fileURLToPath(new URL("../../../examples", import.meta.url));
let stateDir: string;

interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Starts the built CLI as a user would; `onStderr` sees stderr as it comes; `env` overrides the test's environment. */
function start(
  args: string[],
  /** Called with everything printed so far (stderr, then stdout) whenever either grows. */
  onOutput?: (text: string, child: ChildProcess) => void,
  env: Record<string, string> = {},
): { child: ChildProcess; done: Promise<Run> } {
  const child = spawn(process.execPath, [main, ...args], {
    env: { ...process.env, ...env, DASK_FARGATE_STATE_DIR: stateDir },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout?.on("data", (c: Buffer) => {
    stdout += c.toString();
    onOutput?.(`${stderr}${stdout}`, child);
  });
  child.stderr?.on("data", (c: Buffer) => {
    stderr += c.toString();
    onOutput?.(`${stderr}${stdout}`, child);
  });
  const done = new Promise<Run>((resolve) => child.on("close", (code) => resolve({ code, stdout, stderr })));
  return { child, done };
}

const cli = (...args: string[]) => start(args).done;
const cluster = ["--image", image, "--scheduler-memory", "1GB", "--worker-memory", "1536MiB"];

async function leftovers(clusterId: string): Promise<string[]> {
  const filter = { label: [`io.dask-fargate-action.cluster-id=${clusterId}`] };
  const containers = await docker.listContainers({ all: true, filters: filter });
  const networks = await docker.listNetworks({ filters: filter });
  return [...containers.map((c) => c.Names[0] ?? c.Id), ...networks.map((n) => n.Name)];
}

beforeAll(async () => {
  stateDir = await mkdtemp(join(tmpdir(), "dfa-cli-state-"));
});

afterAll(async () => {
  await rm(stateDir, { recursive: true, force: true });
  // run's default output directory (./dask-fargate-output/<cluster-id>) is under the directory the tests run in.
  await rm("dask-fargate-output", { recursive: true, force: true });
});

describe("up → status → scale → down", () => {
  const id = `cli-up-${process.pid}`;

  test("up prints JSON with the address, dashboard and TLS files", async () => {
    const result = await cli("up", ...cluster, "--workers", "1", "--cluster-id", id, "--json");
    expect(result.code, result.stderr).toBe(0);
    const up = JSON.parse(result.stdout) as {
      clusterId: string;
      schedulerAddress: string;
      dashboardUrl: string;
      tls: { key: string };
    };
    expect(up.clusterId).toBe(id);
    expect(up.schedulerAddress).toMatch(/^tls:\/\/127\.0\.0\.1:\d+$/);
    expect(up.tls.key).toContain(stateDir);
    // The record and the keys are the user's alone: 0600 files in 0700 directories.
    const mode = async (path: string) => (await stat(path)).mode & 0o777;
    expect(await mode(join(stateDir, "clusters"))).toBe(0o700);
    expect(await mode(join(stateDir, "clusters", `${id}.json`))).toBe(0o600);
    expect(await mode(up.tls.key)).toBe(0o600);
    expect(await mode(dirname(up.tls.key))).toBe(0o700);
  });

  test("status finds it from another process and reads the registered workers", async () => {
    const result = await cli("status", "--json");
    const rows = JSON.parse(result.stdout) as { clusterId: string; registeredWorkers: number; workers: number }[];
    expect(rows).toEqual([expect.objectContaining({ clusterId: id, workers: 1, registeredWorkers: 1 })]);
  });

  test("scale adds a worker", async () => {
    const result = await cli("scale", "--workers", "2", "--json");
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({ clusterId: id, workers: 2 });
  });

  test("logs shows every member's recent output", async () => {
    const result = await cli("logs", "--tail", "20", "--json");
    expect(result.code, result.stderr).toBe(0);
    const members = JSON.parse(result.stdout) as { member: string; lines: string[] }[];
    expect(members.map((m) => m.member)).toEqual([`${id}-scheduler`, `${id}-worker-0`, `${id}-worker-1`]);
    expect(members[0]?.lines.join("\n")).toContain("Scheduler at:");
  });

  test("down removes everything and forgets the cluster", async () => {
    const result = await cli("down", "--json");
    expect(result.code, result.stderr).toBe(0);
    expect((JSON.parse(result.stdout) as { removed: string[] }).removed).toContain(`network ${id}`);
    expect(await leftovers(id)).toEqual([]);
    expect(await readdir(join(stateDir, "clusters"))).toEqual([]);
  });
});

describe("run", () => {
  test("builds the image, trains XGBoost, reports JSON with phases, removes the cluster", async () => {
    const base = image;
    const id = `cli-run-${process.pid}`;
    const outputDir = join(await mkdtemp(join(tmpdir(), "dfa-cli-run-")), "out");
    const result = await cli(
      "run",
      "--environment-file",
      join(examples, "requirements.txt"),
      "--base-image",
      base,
      "--workers",
      "2",
      "--worker-memory",
      "1536MiB",
      "--scheduler-memory",
      "1GB",
      "--cluster-id",
      id,
      "--job-workdir",
      examples,
      "--job-command",
      "python3 train_xgboost.py --rounds 5",
      "--output-dir",
      outputDir,
      "--json",
    );
    expect(result.code, result.stderr).toBe(0);
    const summary = JSON.parse(result.stdout.slice(result.stdout.lastIndexOf("\n{") + 1)) as {
      exitCode: number;
      phasesMs: Record<string, number>;
      image: string;
      outputDir: string;
      outputs: { path: string; bytes: number }[];
      replacements: unknown[];
      picturesFile: string;
    };
    expect(summary.exitCode).toBe(0);
    expect(summary.replacements).toEqual([]);
    // The model and the metrics came back to --output-dir, listed with their sizes, and hold what the job trained.
    expect(summary.outputDir).toBe(outputDir);
    expect(summary.outputs.map((f) => f.path).sort()).toEqual([
      "metrics.jsonl",
      "xgboost-metrics.json",
      "xgboost-model.json",
    ]);
    for (const file of summary.outputs) expect(file.bytes).toBe((await stat(join(outputDir, file.path))).size);
    const metrics = JSON.parse(await readFile(join(outputDir, "xgboost-metrics.json"), "utf8")) as {
      rounds: number;
      workers: number;
      final_valid_logloss: number;
    };
    expect(metrics).toMatchObject({ rounds: 5, workers: 2 });
    expect(result.stdout).toContain(`final valid-logloss ${metrics.final_valid_logloss.toFixed(6)}`);
    expect(JSON.parse(await readFile(join(outputDir, "xgboost-model.json"), "utf8"))).toHaveProperty("learner");
    // The run's pictures beside the job's files: the start, the rounds the example wrote to metrics.jsonl, the workers.
    const pictures = await readFile(summary.picturesFile, "utf8");
    expect(pictures).toContain("### Cluster start");
    expect(pictures).toMatch(/\| valid-logloss \| 0\.\d+ \(5\) \|/);
    expect(Object.keys(summary.phasesMs)).toEqual(["image", "up", "job", "down"]);
    expect(summary.image).toMatch(/^dask-fargate-env:env-[0-9a-f]{16}$/);
    expect(result.stdout).toMatch(/final valid-logloss 0\.\d+/);
    expect(await leftovers(id)).toEqual([]);
  });

  test("a job that exits 3 gives exit code 3 and the cluster is still removed", async () => {
    const id = `cli-exit-${process.pid}`;
    const result = await cli("run", ...cluster, "--workers", "1", "--cluster-id", id, "--job-command", "exit 3");
    expect(result.code).toBe(3);
    expect(result.stderr).toContain("the job exited with code 3");
    expect(await leftovers(id)).toEqual([]);
  });

  test("--job-user runs a job on this machine as another uid, which cannot read this process's environment", async () => {
    const id = `cli-user-${process.pid}`;
    // As the same uid the job could read /proc/$PPID/environ (the CLI's variables, e.g. AWS keys); as nobody it cannot.
    const job = "id -u; if cat /proc/$PPID/environ >/dev/null 2>&1; then echo parent-environment-readable; exit 5; fi";
    const result = await cli(
      "run",
      ...cluster,
      "--workers",
      "1",
      "--cluster-id",
      id,
      "--job-runs-on",
      "runner",
      "--job-user",
      "nobody",
      "--job-command",
      job,
    );
    expect(result.code, result.stderr).toBe(0);
    // Lines the job printed (the command itself is echoed too, so whole lines are matched).
    expect(result.stdout).toMatch(/^65534$/m);
    expect(result.stdout).not.toMatch(/^parent-environment-readable$/m);
    expect(await leftovers(id)).toEqual([]);
  });

  test("bad input exits 2, names the flag and creates nothing", async () => {
    const id = `cli-bad-${process.pid}`;
    const result = await cli("run", ...cluster, "--workers", "lots", "--cluster-id", id, "--job-command", "true");
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^error: workers: "lots" is not a whole number/m);
    expect(await leftovers(id)).toEqual([]);
  });
});

describe("SIGINT removes everything", () => {
  test("during up", async () => {
    const id = `cli-sigint-up-${process.pid}`;
    let sent = false;
    const { done } = start(["up", ...cluster, "--workers", "2", "--cluster-id", id], (stderr, child) => {
      if (!sent && /workers running/.test(stderr)) {
        sent = true;
        child.kill("SIGINT");
      }
    });
    const result = await done;
    expect(sent).toBe(true);
    expect(result.code).toBe(130);
    expect(await leftovers(id)).toEqual([]);
  });

  test("during the job", async () => {
    const id = `cli-sigint-job-${process.pid}`;
    let sent = false;
    const { done } = start(
      [
        "run",
        ...cluster,
        "--workers",
        "1",
        "--cluster-id",
        id,
        "--job-command",
        "printf 'job-%s\\n' started; sleep 120",
      ],
      (output, child) => {
        if (!sent && /job-started/.test(output)) {
          sent = true;
          setTimeout(() => child.kill("SIGINT"), 1000);
        }
      },
    );
    const result = await done;
    expect(sent).toBe(true);
    expect(result.stdout).toContain("job-started");
    expect(result.code).toBe(130);
    expect(await leftovers(id)).toEqual([]);
  });
});

describe("SIGINT and SIGTERM in each phase of run", () => {
  // Sent when the phase's line appears (no fixed sleeps); after each: exit 130, the message names the phase,
  // nothing of the cluster is left. A teardown under way is not interrupted: it goes on to its end.
  const phases = [
    {
      phase: "image",
      reached: /^building /m,
      args: ["--environment-file", join(examples, "requirements.txt"), "--base-image", image, "--force"],
    },
    { phase: "up", reached: /workers running/, args: ["--image", image] },
    // The job's own line (the shell computes it, so the command echoed before the job cannot match).
    { phase: "job", when: "running", reached: /job-2-running/, args: ["--image", image] },
    // Between the job's announcement and its container's start: the signal must not be lost in that window.
    { phase: "job", when: "starting", reached: /running the job on the cluster/, args: ["--image", image] },
    { phase: "down", reached: /^removing cluster /m, args: ["--image", image] },
  ] as const;
  const runs = phases.flatMap((p) => (["SIGINT", "SIGTERM"] as const).map((signal) => ({ when: "", ...p, signal })));
  test.each(runs)("$signal during the $phase phase $when", async ({ phase, when, reached, args, signal }) => {
    const id = `cli-${signal.toLowerCase()}-${phase}${when ? `-${when}` : ""}-${process.pid}`;
    const job = phase === "down" ? "echo job-done" : "echo job-$((1+1))-running; sleep 600";
    let sent = false;
    const { done } = start(
      [
        "run",
        ...args,
        "--scheduler-memory",
        "1GB",
        "--worker-memory",
        "1536MiB",
        "--workers",
        "1",
        "--cluster-id",
        id,
        "--job-command",
        job,
      ],
      (output, child) => {
        if (!sent && reached.test(output)) {
          sent = true;
          child.kill(signal);
        }
      },
    );
    const startedAt = Date.now();
    const result = await done;
    expect(sent, result.stderr).toBe(true);
    // A job of sleep 600 was stopped, not waited for.
    expect(Date.now() - startedAt).toBeLessThan(120_000);
    expect(result.code, result.stderr).toBe(130);
    expect(result.stderr).toContain(`interrupted in the ${phase} phase`);
    expect(await leftovers(id)).toEqual([]);
  });
});

describe("the fargate backend against moto", () => {
  const id = `cli-fg-${process.pid}`;
  const aws = ["--backend", "fargate", "--region", "us-east-1"];
  const ecrImage = "123456789012.dkr.ecr.us-east-1.amazonaws.com/dask:env-0123456789abcdef";
  let observer: AwsClients;

  beforeAll(async () => {
    Object.assign(process.env, {
      AWS_ENDPOINT_URL: inject("motoEndpoint"),
      AWS_ACCESS_KEY_ID: "test",
      AWS_SECRET_ACCESS_KEY: "test",
      AWS_REGION: "us-east-1",
    });
    await resetMoto(inject("motoEndpoint"));
    observer = createAwsClients({ region: "us-east-1" });
  });

  test("plan shows the hourly cost of the shape; a shape past the cost limits is refused before any request", async () => {
    const plan = await cli(
      "plan",
      ...aws,
      "--image",
      ecrImage,
      "--workers",
      "4",
      "--worker-cpu",
      "2",
      "--worker-memory",
      "8GB",
      "--json",
    );
    expect(plan.code, plan.stderr).toBe(0);
    const cost = (JSON.parse(plan.stdout) as { hourlyCost: { usd: number; text: string } }).hourlyCost;
    // 1 scheduler (1 vCPU, 2 GB) + 4 workers (2 vCPU, 8 GB) + 5 public IPv4 addresses at the us-east-1 prices in facts.
    expect(cost.usd).toBeCloseTo(0.04048 + 2 * 0.004445 + 4 * (2 * 0.04048 + 8 * 0.004445) + 5 * 0.005, 8);
    expect(cost.text).toMatch(/^about \$0\.5\d per hour; at most \$3\.\d\d before the 6 h max-lifetime ends it$/);
    const huge = await cli(
      "up",
      ...aws,
      "--image",
      ecrImage,
      "--workers",
      "500",
      "--worker-cpu",
      "16",
      "--worker-memory",
      "120GB",
      "--max-lifetime",
      "87600h",
    );
    expect(huge.code).toBe(2);
    expect(huge.stderr).toContain("max-lifetime: 87600 h is more than the 24 h limit; set allow-unbounded-cost");
    expect((await observer.ecs.send(new ListClustersCommand({}))).clusterArns ?? []).toEqual([]);
  });

  test("up without AWS credentials ends in one clear message and creates nothing", async () => {
    const noCredentials = {
      AWS_ACCESS_KEY_ID: "",
      AWS_SECRET_ACCESS_KEY: "",
      AWS_SHARED_CREDENTIALS_FILE: join(stateDir, "no-credentials"),
      AWS_CONFIG_FILE: join(stateDir, "no-config"),
      AWS_EC2_METADATA_DISABLED: "true",
    };
    const result = await start(
      ["up", ...aws, "--image", ecrImage, "--workers", "1", "--cluster-id", `${id}-nocred`],
      undefined,
      noCredentials,
    ).done;
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("error: up phase: no AWS credentials were found: the SDK's default chain");
    expect(result.stderr).toContain("aws-actions/configure-aws-credentials before this step");
    // Nothing was created, so there is no cleanup to announce or to fail.
    expect(result.stderr).not.toContain("removing what was created");
    expect(result.stderr).not.toContain("failed too");
    expect(await awsLeftovers(observer, `${id}-nocred`)).toEqual([]);
  });

  test("plan --json prints the requests without creating anything", async () => {
    const result = await cli(
      "plan",
      ...aws,
      "--image",
      ecrImage,
      "--workers",
      "25",
      "--worker-cpu",
      "2",
      "--worker-memory",
      "8GB",
      "--cluster-id",
      id,
      "--spot-workers",
      "--json",
    );
    expect(result.code, result.stderr).toBe(0);
    const plan = JSON.parse(result.stdout) as {
      plan: { taskDefinitions: { worker: { cpu: string; memory: string } }; createCluster: { clusterName: string } };
    };
    expect(plan.plan.taskDefinitions.worker).toMatchObject({ cpu: "2048", memory: "8192" });
    expect(plan.plan.createCluster.clusterName).toBe(id);
    expect(await awsLeftovers(observer, id)).toEqual([]);
  });

  test("plan runs the start's preflight: a subnet that does not exist exits 1, is named with its fix, and nothing is created", async () => {
    const result = await cli(
      "plan",
      ...aws,
      "--image",
      ecrImage,
      "--subnets",
      "subnet-0123456789abcdef0",
      "--cluster-id",
      id,
      "--json",
    );
    expect(result.code, result.stderr).toBe(1);
    const plan = JSON.parse(result.stdout) as {
      preflight: { refused: { check: string; message: string; fix: string }[] };
    };
    expect(plan.preflight.refused).toEqual([
      {
        check: "subnets",
        status: "refused",
        message: "subnet subnet-0123456789abcdef0 does not exist in us-east-1",
        fix: "check the subnet ids and the region (aws ec2 describe-subnets)",
      },
    ]);
    expect(result.stderr).toContain(
      "preflight would refuse the start: subnets: subnet subnet-0123456789abcdef0 does not exist in us-east-1",
    );
    // The ECR host cannot be reached from here and moto serves no Fargate quotas: notes, not refusals.
    expect(result.stderr).toMatch(/preflight image: could not check 123456789012\.dkr\.ecr/);
    expect(await awsLeftovers(observer, id)).toEqual([]);
  });

  test("plan without --json is a summary a person reads: sizes, Spot, network, each check with its fix, the cost; no requests", async () => {
    const args = [
      "plan",
      ...aws,
      "--image",
      ecrImage,
      "--subnets",
      "subnet-0123456789abcdef0",
      "--cluster-id",
      id,
      "--workers",
      "12",
      "--spot-workers",
    ];
    const result = await cli(...args);
    expect(result.code, result.stderr).toBe(1);
    expect(result.stdout).not.toMatch(/^\{/);
    expect(result.stdout).not.toContain("networkConfiguration");
    expect(result.stdout.split("\n").length).toBeLessThan(40);
    expect(result.stdout).toContain(`cluster ${id} on Fargate in us-east-1`);
    expect(result.stdout).toContain(
      "workers    12 workers of 1 vCPU / 4 GB (1 thread each), on Fargate Spot (on-demand when Spot has no capacity)",
    );
    expect(result.stdout).toContain(`ECS cluster ${id}`);
    expect(result.stdout).toContain("1 scheduler task, then 12 worker tasks in 2 RunTask batches");
    expect(result.stdout).toContain("network: subnets subnet-0123456789abcdef0");
    expect(result.stdout).toContain("preflight: the start would be REFUSED (1 check)");
    expect(result.stdout).toContain("REFUSED subnets: subnet subnet-0123456789abcdef0 does not exist in us-east-1");
    expect(result.stdout).toContain("fix: check the subnet ids and the region (aws ec2 describe-subnets)");
    expect(result.stdout).toMatch(
      /cost: about \$\d+\.\d\d per hour .*at most \$\d+\.\d\d before the 6 h max-lifetime ends it/,
    );
    const verbose = await cli(...args, "--verbose");
    expect(verbose.stdout).toContain("requests:");
    expect(verbose.stdout).toContain('"networkConfiguration"');
    expect(await awsLeftovers(observer, id)).toEqual([]);
  });

  test("plan exits 3 when the preflight could not run (no credentials), and says so", async () => {
    const noCredentials = {
      AWS_ACCESS_KEY_ID: "",
      AWS_SECRET_ACCESS_KEY: "",
      AWS_SHARED_CREDENTIALS_FILE: join(stateDir, "no-credentials"),
      AWS_CONFIG_FILE: join(stateDir, "no-config"),
      AWS_EC2_METADATA_DISABLED: "true",
    };
    const result = await start(["plan", ...aws, "--image", ecrImage, "--cluster-id", id], undefined, noCredentials)
      .done;
    expect(result.code, result.stderr).toBe(3);
    expect(result.stdout).toContain("preflight: could not run: no AWS credentials were found");
    expect(result.stdout).toContain("nothing was checked");
    const help = await cli("plan", "--help");
    expect(help.stdout).toContain("3 preflight could not run");
  });

  test("an invalid Fargate size exits 2 and names the valid memory", async () => {
    const result = await cli("up", ...aws, "--image", ecrImage, "--worker-memory", "1GB", "--cluster-id", id);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(
      "worker-memory: 1024 MiB does not fit 1 vCPU on Fargate; valid memory for 1 vCPU: 2048, 3072",
    );
  });

  test("up → status → scale → down", async () => {
    const started = await cli("up", ...aws, "--image", ecrImage, "--workers", "3", "--cluster-id", id, "--json");
    expect(started.code, started.stderr).toBe(0);
    expect((JSON.parse(started.stdout) as { schedulerAddress: string }).schedulerAddress).toMatch(/^tls:\/\/10\./);
    const status = JSON.parse((await cli("status", "--cluster-id", id, "--json")).stdout) as {
      backend: string;
      workers: number;
    }[];
    expect(status).toEqual([
      expect.objectContaining({ backend: "fargate", workers: 3, exists: true, registeredWorkers: null }),
    ]);
    // A field it cannot know says why: the dashboard is not reachable from here without client-cidr.
    const human = await cli("status", "--cluster-id", id);
    expect(human.stdout).toContain(`${id}  fargate  up  workers ?/3`);
    expect(human.stdout).toContain(
      "registered workers unknown: the dashboard is not reachable from here (start with --client-cidr YOUR-IP/32 --open-dashboard",
    );
    const scaled = await cli("scale", "--cluster-id", id, "--workers", "5", "--json");
    expect(scaled.code, scaled.stderr).toBe(0);
    const removed = await cli("down", "--cluster-id", id, "--json");
    expect(removed.code, removed.stderr).toBe(0);
    expect(
      (JSON.parse(removed.stdout) as { removed: string[] }).removed.filter(
        (r) => r.startsWith("task ") && !r.startsWith("task definition"),
      ),
    ).toHaveLength(6);
    expect(await awsLeftovers(observer, id)).toEqual([]);
  });

  test("status checks that a recorded cluster still exists: one removed elsewhere is gone, with the fix", async () => {
    const recorded = join(stateDir, "recorded-elsewhere");
    const started = await cli(
      "up",
      ...aws,
      "--image",
      ecrImage,
      "--workers",
      "1",
      "--cluster-id",
      `${id}-gone`,
      "--state-dir",
      recorded,
    );
    expect(started.code, started.stderr).toBe(0);
    // Removed by id from another machine (no record there): this record now names a cluster that does not exist.
    const removed = await cli(
      "down",
      ...aws,
      "--cluster-id",
      `${id}-gone`,
      "--state-dir",
      join(stateDir, "another-machine"),
    );
    expect(removed.code, removed.stderr).toBe(0);
    const status = await cli("status", "--state-dir", recorded);
    expect(status.code, status.stderr).toBe(0);
    expect(status.stdout).toContain(`${id}-gone  fargate  gone  workers ?/1`);
    expect(status.stdout).toContain(
      `the cluster no longer exists (removed elsewhere, or stopped at its max-lifetime); forget the record: dask-fargate down --cluster-id ${id}-gone`,
    );
    expect(await awsLeftovers(observer, `${id}-gone`)).toEqual([]);
    await cli("down", "--cluster-id", `${id}-gone`, "--state-dir", recorded);
  });

  test("reap removes an expired Fargate cluster and keeps a live one", async () => {
    const live = await cli("up", ...aws, "--image", ecrImage, "--workers", "1", "--cluster-id", `${id}-live`);
    expect(live.code, live.stderr).toBe(0);
    const dry = JSON.parse((await cli("reap", ...aws, "--dry-run", "--json")).stdout) as {
      reaped: string[];
      kept: string[];
    };
    expect(dry.kept).toContain(`${id}-live`);
    // Older than 1 s: the cluster qualifies, as an expired one would.
    await new Promise((r) => setTimeout(r, 1100));
    const reaped = await cli("reap", ...aws, "--older-than", "1", "--json");
    expect(reaped.code, reaped.stderr).toBe(0);
    expect((JSON.parse(reaped.stdout) as { reaped: string[] }).reaped).toContain(`${id}-live`);
    expect(await awsLeftovers(observer, `${id}-live`)).toEqual([]);
    await cli("down", "--cluster-id", `${id}-live`);
  });

  test("down by cluster id alone, without a record", async () => {
    const started = await cli(
      "up",
      ...aws,
      "--image",
      ecrImage,
      "--workers",
      "1",
      "--cluster-id",
      `${id}-b`,
      "--state-dir",
      join(stateDir, "elsewhere"),
    );
    expect(started.code, started.stderr).toBe(0);
    const removed = await cli("down", ...aws, "--cluster-id", `${id}-b`, "--json");
    expect(removed.code, removed.stderr).toBe(0);
    expect(await awsLeftovers(observer, `${id}-b`)).toEqual([]);
  });
});

describe("progress on a terminal", () => {
  const spinnerFrame = /[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏]/;

  /**
   * Runs `up` with one worker in a pseudo-terminal (util-linux `script`) of the given width, as on a
   * developer's terminal: the CI and TERM of the test's own environment are replaced by `env`. The
   * cluster is removed and checked gone before the recorded terminal text is returned.
   */
  const upInTerminal = async (name: string, columns: number, env: Record<string, string> = {}) => {
    const id = `cli-${name}-${process.pid}`;
    const { CI: _ci, TERM: _term, ...inherited } = process.env;
    const command = [
      columns > 0 ? `stty cols ${columns} rows 40;` : "",
      process.execPath,
      main,
      "up",
      ...cluster,
      "--workers",
      "1",
      "--cluster-id",
      id,
    ].join(" ");
    const typescript = join(stateDir, `${name}.log`);
    try {
      const child = spawn("script", ["-q", "-e", "-c", command, typescript], {
        env: { ...inherited, TERM: "xterm-256color", ...env, DASK_FARGATE_STATE_DIR: stateDir },
        stdio: ["ignore", "ignore", "pipe"],
      });
      const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
      const ansi = new RegExp(`${String.fromCharCode(27)}\\[[0-9;?]*[a-zA-Z]`, "g");
      return { id, code, text: (await readFile(typescript, "utf8")).replace(ansi, "") };
    } finally {
      expect((await cli("down", "--cluster-id", id)).code).toBe(0);
      expect(await leftovers(id)).toEqual([]);
    }
  };

  test("a sized terminal shows a spinner, then the result", async () => {
    const result = await upInTerminal("tty", 100);
    expect(result.code).toBe(0);
    expect(result.text).toMatch(new RegExp(`${spinnerFrame.source} scheduler`));
    expect(result.text).toContain(`cluster ${result.id} is ready`);
  });

  test("a terminal under CI gets plain lines (CI logs keep every spinner frame)", async () => {
    const result = await upInTerminal("ttyci", 100, { CI: "true" });
    expect(result.code).toBe(0);
    expect(result.text).not.toMatch(spinnerFrame);
    expect(result.text).toMatch(/^scheduler \w+, \d\/1 workers running/m);
    expect(result.text).toContain(`cluster ${result.id} is ready`);
  });

  test("a terminal of unknown width gets plain lines", async () => {
    const result = await upInTerminal("tty0", 0);
    expect(result.code).toBe(0);
    expect(result.text).not.toMatch(spinnerFrame);
    expect(result.text.length).toBeLessThan(20_000);
  });
});

test("up with an image the engine does not have fails, removes what it created and leaves no record", async () => {
  const id = `cli-noimage-${process.pid}`;
  const result = await cli(
    "up",
    "--image",
    "dfa-no-such-image:1",
    "--cluster-id",
    id,
    "--scheduler-memory",
    "1GB",
    "--worker-memory",
    "1GB",
  );
  expect(result.code).toBe(1);
  expect(result.stderr).toContain("dfa-no-such-image:1");
  await expect(stat(join(stateDir, "clusters", `${id}.json`))).rejects.toThrow();
  expect(await leftovers(id)).toEqual([]);
});

test("down of an id with nothing behind it says so instead of reporting a removal", async () => {
  const result = await cli("down", "--cluster-id", `cli-none-${process.pid}`);
  expect(result.code, result.stderr).toBe(0);
  expect(result.stdout).toContain(
    `nothing of cluster cli-none-${process.pid} was found on the docker backend (a Fargate cluster needs --backend fargate`,
  );
});

test("reap --dry-run --json lists without removing", async () => {
  const result = await cli("reap", "--dry-run", "--json");
  expect(result.code, result.stderr).toBe(0);
  expect(JSON.parse(result.stdout)).toMatchObject({ dryRun: true });
});

test("an unknown command exits 2 with the command list", async () => {
  const result = await cli("deploy");
  expect(result.code).toBe(2);
  expect(result.stderr).toContain('unknown command "deploy"');
});

describe("a cluster id never names a path outside the records", () => {
  test("down --cluster-id ../../projects is refused with exit 2, and the directory stays", async () => {
    // The layout of the report: a state directory whose grandparent holds the user's projects.
    const home = await mkdtemp(join(tmpdir(), "dfa-home-"));
    const state = join(home, ".dask-fargate");
    await mkdir(join(state, "clusters"), { recursive: true });
    await mkdir(join(home, "projects"));
    await writeFile(join(home, "projects", "thesis.tex"), "years of work");
    try {
      for (const command of ["down", "status", "logs", "scale"]) {
        const result = await cli(
          command,
          "--cluster-id",
          "../../projects",
          "--state-dir",
          state,
          ...(command === "scale" ? ["--workers", "1"] : []),
        );
        expect(result.code, `${command}: ${result.stderr}`).toBe(2);
        expect(result.stderr).toContain('cluster-id: "../../projects" is not a cluster id');
      }
      expect(await readdir(join(home, "projects"))).toEqual(["thesis.tex"]);
    } finally {
      await rm(home, { recursive: true, force: true });
    }
  });

  test("a corrupt or foreign record is refused with exit 2, naming the file and how to go on", async () => {
    const state = await mkdtemp(join(tmpdir(), "dfa-state-"));
    await mkdir(join(state, "clusters"), { recursive: true });
    try {
      await writeFile(join(state, "clusters", "dfa-1.json"), '{"version": 1, "clusterId": "dfa-');
      const corrupt = await cli("status", "--state-dir", state);
      expect(corrupt.code, corrupt.stderr).toBe(2);
      expect(corrupt.stderr).toContain("dfa-1.json is not a saved dask-fargate cluster (not JSON); remove it");
      await writeFile(join(state, "clusters", "dfa-1.json"), JSON.stringify({ name: "left-over", version: "1.0.0" }));
      const foreign = await cli("status", "--state-dir", state, "--cluster-id", "dfa-1");
      expect(foreign.code, foreign.stderr).toBe(2);
      expect(foreign.stderr).toContain('is not a saved dask-fargate cluster (version "1.0.0" is not 1)');
    } finally {
      await rm(state, { recursive: true, force: true });
    }
  });

  test("a record whose cluster id was edited to a path is refused instead of followed", async () => {
    const home = await mkdtemp(join(tmpdir(), "dfa-home-"));
    const state = join(home, ".dask-fargate");
    await mkdir(join(state, "clusters"), { recursive: true });
    await mkdir(join(home, "projects"));
    const record = {
      version: 1,
      clusterId: "../../projects",
      backend: "docker",
      handle: undefined,
      partial: undefined,
      settings: {},
    };
    await writeFile(join(state, "clusters", "dfa-1.json"), JSON.stringify(record));
    try {
      const result = await cli("down", "--state-dir", state);
      expect(result.code, result.stderr).toBe(2);
      expect(result.stderr).toContain("is not a cluster id");
      expect(await readdir(home)).toContain("projects");
    } finally {
      await rm(home, { recursive: true, force: true });
    }
  });
});
