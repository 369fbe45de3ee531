import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { chmod, copyFile, mkdir, mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { type AwsClients, createAwsClients } from "@dask-fargate-action/core";
import { PICTURES_FILE } from "@dask-fargate-action/pipeline";
import { awsLeftovers } from "@dask-fargate-action/testkit/aws-state";
import { removeTagsStartingWith } from "@dask-fargate-action/testkit/images";
import { mermaidBlocks, openMermaid } from "@dask-fargate-action/testkit/mermaid-browser";
import { resetMoto } from "@dask-fargate-action/testkit/moto-server";
import { type RegistryServer, startRegistry } from "@dask-fargate-action/testkit/registry-server";
import Docker from "dockerode";
import { afterAll, beforeAll, describe, expect, inject, test } from "vitest";
import { runnerCommands, runnerStep } from "./integration/runner.js";
import { slowProxy } from "./integration/slow-proxy.js";

const docker = new Docker();
const execFileAsync = promisify(execFile);
const examples = fileURLToPath(new URL("../../../examples", import.meta.url));
const moto = inject("motoEndpoint");
const daskImage = inject("daskImage");
const aws = {
  AWS_ENDPOINT_URL: moto,
  AWS_ACCESS_KEY_ID: "test",
  AWS_SECRET_ACCESS_KEY: "test",
  AWS_REGION: "us-east-1",
};
const github = {
  GITHUB_REPOSITORY: "org/repo",
  GITHUB_WORKFLOW: "nightly",
  GITHUB_JOB: "train",
  GITHUB_RUN_ATTEMPT: "1",
};
let observer: AwsClients;
let registry: RegistryServer;

async function dockerLeftovers(clusterId: string): Promise<string[]> {
  const filter = { label: [`io.dask-fargate-action.cluster-id=${clusterId}`] };
  return [
    ...(await docker.listContainers({ all: true, filters: filter })).map((c) => c.Id),
    ...(await docker.listNetworks({ filters: filter })).map((n) => n.Name),
  ];
}

beforeAll(async () => {
  Object.assign(process.env, aws);
  await resetMoto(moto);
  observer = createAwsClients({ region: "us-east-1" });
  registry = await startRegistry("action-tester", randomBytes(16).toString("base64url"));
});

afterAll(async () => {
  await registry.stop();
});

describe("the bundled action, run as the runner runs it", () => {
  test("build against an authenticated registry; the second run builds nothing", async () => {
    const repository = `${registry.address}/action/dask-${randomBytes(3).toString("hex")}`;
    const inputs = {
      command: "build",
      "environment-file": join(examples, "requirements.txt"),
      "base-image": daskImage,
      image: repository,
      "registry-username": registry.username,
      "registry-password": registry.password,
    };
    const first = await runnerStep({});
    const built = await first.main(inputs);
    expect(built.code, built.stdout + built.stderr).toBe(0);
    const outputs = await first.outputs();
    expect(outputs["rebuilt"]).toBe("true");
    expect(outputs["image"]).toMatch(new RegExp(`^${repository}:env-[0-9a-f]{16}@sha256:[0-9a-f]{64}$`));
    expect(built.stdout).toContain(`::add-mask::${registry.password}`);
    expect(built.stdout.replaceAll(`::add-mask::${registry.password}`, "")).not.toContain(registry.password);
    const second = await runnerStep({});
    const again = await second.main(inputs);
    expect(again.code, again.stdout).toBe(0);
    expect(await second.outputs()).toMatchObject({
      rebuilt: "false",
      digest: outputs["digest"],
      image: outputs["image"],
    });
    expect(await second.summary()).toContain("unchanged, nothing was built or pushed");
    await removeTagsStartingWith(docker, repository);
    await rm(first.dir, { recursive: true, force: true });
    await rm(second.dir, { recursive: true, force: true });
  });

  test("up on Fargate (moto), then the post step in a new process: nothing remains", async () => {
    const step = await runnerStep({ ...aws, ...github, GITHUB_RUN_ID: "1001" });
    const up = await step.main({
      command: "up",
      image: "123456789012.dkr.ecr.us-east-1.amazonaws.com/dask:env-0123456789abcdef",
      workers: "3",
    });
    expect(up.code, up.stdout + up.stderr).toBe(0);
    const outputs = await step.outputs();
    expect(outputs["cluster-id"]).toMatch(/^gh-1001-1-[0-9a-f]{6}$/);
    expect(outputs["scheduler-address"]).toMatch(/^tls:\/\/10\./);
    const clusterId = outputs["cluster-id"] ?? "";
    expect(await awsLeftovers(observer, clusterId)).not.toEqual([]);
    const post = await step.post();
    expect(post.code, post.stdout + post.stderr).toBe(0);
    expect(post.stdout).toContain(`post: removing cluster ${clusterId} (fargate)`);
    expect(await awsLeftovers(observer, clusterId)).toEqual([]);
    await rm(step.dir, { recursive: true, force: true });
  });

  test("run on the docker backend: real XGBoost training, summary written, stop-commands around the job's log", async () => {
    const step = await runnerStep({ ...github, GITHUB_RUN_ID: "1002" });
    const result = await step.main({
      command: "run",
      backend: "docker",
      "environment-file": join(examples, "requirements.txt"),
      "base-image": daskImage,
      workers: "2",
      "worker-memory": "1536MiB",
      "scheduler-memory": "1GB",
      "job-command": "python3 train_xgboost.py --rounds 10",
      "job-workdir": examples,
    });
    expect(result.code, result.stdout + result.stderr).toBe(0);
    const outputs = await step.outputs();
    expect(outputs["job-exit-code"]).toBe("0");
    expect(outputs["cost-estimate"]).toBe("$0 (local Docker Engine)");
    // The build streams in its own window first; the job's log is in the last one, with a token of its own.
    const tokens = [...result.stdout.matchAll(/::stop-commands::([0-9a-f-]{36})/g)].map((m) => m[1]);
    expect(tokens.length).toBeGreaterThanOrEqual(2);
    expect(new Set(tokens).size).toBe(tokens.length);
    const token = tokens.at(-1);
    const streamed = result.stdout.split(`::stop-commands::${token}`)[1]?.split(`::${token}::`)[0] ?? "";
    expect(streamed).toMatch(/final valid-logloss 0\.\d+/);
    const summary = await step.summary();
    expect(summary).toContain("| job exit code | 0 |");
    expect(summary).toMatch(/final valid-logloss 0\.\d+/);
    expect(summary).toContain("| time: up |");
    // What the script saved to DFA_OUTPUT_DIR is on the runner, in the output-dir output, and listed in the summary.
    const outputDir = outputs["output-dir"] ?? "";
    expect(outputDir.startsWith(join(step.dir, "dask-fargate-output"))).toBe(true);
    const metrics = JSON.parse(await readFile(join(outputDir, "xgboost-metrics.json"), "utf8")) as Record<
      string,
      unknown
    >;
    expect(metrics).toHaveProperty("final_valid_logloss");
    expect(summary).toMatch(/\| output: xgboost-model\.json \| [\d.]+ (B|kB|MB) \|/);
    expect(summary).toContain("| output: xgboost-metrics.json |");
    // The pictures: the start from the engine's events, the rounds of metrics.jsonl, the workers; each chart drawn by
    // Mermaid in Chromium (a syntax error fails), the same Markdown in the output directory for the CLI's user.
    expect(summary).toContain("### Cluster start");
    expect(summary).toMatch(/\| valid-logloss \| 0\.\d+ \(10\) \|/);
    expect(summary).toContain("### Workers and cost over time");
    const blocks = mermaidBlocks(summary);
    expect(blocks).toHaveLength(3);
    expect(await readFile(join(outputDir, PICTURES_FILE), "utf8")).toContain(blocks[1] ?? "no chart");
    const browser = await openMermaid();
    try {
      const pngDir = process.env["DFA_PICTURES_PNG_DIR"];
      for (const [i, block] of blocks.entries())
        expect(await browser.render(block, pngDir ? join(pngDir, `action-${i}.png`) : undefined)).toContain("<svg");
    } finally {
      await browser.close();
    }
    expect(await dockerLeftovers(outputs["cluster-id"] ?? "")).toEqual([]);
    const post = await step.post();
    expect(post.stdout).toContain("post: nothing to tear down");
    await rm(step.dir, { recursive: true, force: true });
  });

  test("the action's result output and the CLI's --json are the same object for the same run", async () => {
    const job = `python3 -c "import os; open(os.path.join(os.environ['DFA_OUTPUT_DIR'], 'answer.txt'), 'w').write('42'); print('wrote it')"`;
    const shape = { workers: "1", "worker-memory": "1536MiB", "scheduler-memory": "1GB" };
    const step = await runnerStep({ ...github, GITHUB_RUN_ID: "1012" });
    const actionOut = join(step.dir, "out");
    const ran = await step.main({
      command: "run",
      backend: "docker",
      image: daskImage,
      ...shape,
      "job-command": job,
      "job-workdir": examples,
      "output-dir": actionOut,
    });
    expect(ran.code, ran.stdout + ran.stderr).toBe(0);
    const fromAction = JSON.parse((await step.outputs())["result"] ?? "null") as Record<string, unknown>;
    const cliOut = join(step.dir, "cli-out");
    // The built CLI, found by its package name: its entry and dist/main.js sit side by side.
    const cliMain = fileURLToPath(new URL("main.js", import.meta.resolve("@dask-fargate-action/cli")));
    const flags = Object.entries(shape).flatMap(([name, value]) => [`--${name}`, value]);
    const { stdout } = await execFileAsync(
      process.execPath,
      [
        cliMain,
        "run",
        "--backend",
        "docker",
        "--image",
        daskImage,
        ...flags,
        "--job-command",
        job,
        "--job-workdir",
        examples,
        "--output-dir",
        cliOut,
        "--json",
      ],
      { env: { ...process.env, DASK_FARGATE_STATE_DIR: join(step.dir, "cli-state") } },
    );
    const fromCli = JSON.parse(stdout.slice(stdout.lastIndexOf("\n{") + 1)) as Record<string, unknown>;
    // What differs between two runs: the cluster id, the phase times and where each put its files and pictures.
    const comparable = ({ clusterId, phasesMs, outputDir, picturesFile, ...rest }: Record<string, unknown>) => ({
      ...rest,
      clusterId: typeof clusterId,
      phases: Object.keys(phasesMs as object),
      outputDir: typeof outputDir,
      picturesFile: typeof picturesFile,
    });
    expect(comparable(fromCli)).toEqual(comparable(fromAction));
    expect(fromAction).toMatchObject({
      ending: "succeeded",
      exitCode: 0,
      workers: 1,
      replacements: [],
      outputs: [{ path: "answer.txt", bytes: 2 }],
    });
    expect(fromAction["outputDir"]).toBe(actionOut);
    expect(fromCli["outputDir"]).toBe(cliOut);
    await rm(step.dir, { recursive: true, force: true });
  });

  test("job-timeout stops a hung job: the step fails with 124, the summary names the limit, the cluster is removed", async () => {
    const step = await runnerStep({ ...github, GITHUB_RUN_ID: "1009" });
    const result = await step.main({
      command: "run",
      backend: "docker",
      image: daskImage,
      workers: "1",
      "worker-memory": "1536MiB",
      "scheduler-memory": "1GB",
      "job-command": "sleep 600",
      "job-timeout": "5s",
    });
    expect(result.code, result.stdout + result.stderr).toBe(124);
    expect(result.stdout).toContain("::error::the job ran longer than job-timeout (5 s)");
    const outputs = await step.outputs();
    expect(outputs["job-exit-code"]).toBe("124");
    expect(await step.summary()).toContain("| outcome | the job ran longer than job-timeout (5 s)");
    expect(await dockerLeftovers(outputs["cluster-id"] ?? "")).toEqual([]);
    await rm(step.dir, { recursive: true, force: true });
  });

  test("up on the docker backend: a later step connects over TLS with the tls-*-file outputs; the post step removes the cluster", async () => {
    const step = await runnerStep({ ...github, GITHUB_RUN_ID: "1010" });
    const up = await step.main({
      command: "up",
      backend: "docker",
      image: daskImage,
      workers: "1",
      "worker-memory": "1536MiB",
      "scheduler-memory": "1GB",
    });
    expect(up.code, up.stdout + up.stderr).toBe(0);
    const outputs = await step.outputs();
    expect(outputs["scheduler-address"]).toMatch(/^tls:\/\//);
    // A later step of the job, e.g. `python train.py` on the runner, with the outputs passed through env:.
    const client = [
      "import os",
      "from distributed import Client",
      "from distributed.security import Security",
      "s = Security(tls_ca_file=os.environ['CA'], tls_client_cert=os.environ['CERT'], tls_client_key=os.environ['KEY'], require_encryption=True)",
      "c = Client(os.environ['ADDRESS'], security=s, timeout=30)",
      "print('sum', c.submit(sum, [1, 2, 3]).result())",
      "c.close()",
    ].join("\n");
    const env = {
      ...process.env,
      CA: outputs["tls-ca-file"],
      CERT: outputs["tls-cert-file"],
      KEY: outputs["tls-key-file"],
      ADDRESS: outputs["scheduler-address"],
    };
    const later = await execFileAsync("/usr/bin/python3", ["-c", client], { env: env as NodeJS.ProcessEnv });
    expect(later.stdout).toContain("sum 6");
    const post = await step.post();
    expect(post.code, post.stdout + post.stderr).toBe(0);
    expect(await dockerLeftovers(outputs["cluster-id"] ?? "")).toEqual([]);
    await rm(step.dir, { recursive: true, force: true });
  });

  test("the post step removes the TLS directory it derives from the cluster id, never a directory the saved state names", async () => {
    const step = await runnerStep({ ...github, GITHUB_RUN_ID: "1011" });
    const clusterId = `dfa-post-${randomBytes(3).toString("hex")}`;
    // A directory of the user's that happens to end in the cluster id, named by a forged state; and the real one.
    const elsewhere = await mkdtemp(join(tmpdir(), "dfa-victim-"));
    const victim = join(elsewhere, clusterId);
    await mkdir(victim);
    await writeFile(join(victim, "keep.txt"), "the user's file");
    const derived = join(step.dir, "dask-fargate", clusterId);
    await mkdir(join(derived, "tls", "client"), { recursive: true });
    await writeFile(join(derived, "tls", "client", "ca.pem"), "a CA");
    const state = { version: 1, clusterId, backend: "docker", settings: {}, tlsDir: victim, tornDown: false };
    await writeFile(step.files.state, `cluster=${JSON.stringify(state)}\n`);
    const post = await step.post();
    expect(post.code, post.stdout + post.stderr).toBe(0);
    expect(post.stdout).toContain(`post: removing cluster ${clusterId} (docker)`);
    expect(await readFile(join(victim, "keep.txt"), "utf8")).toBe("the user's file");
    await expect(stat(derived)).rejects.toThrow(/ENOENT/);
    await rm(elsewhere, { recursive: true, force: true });
    await rm(step.dir, { recursive: true, force: true });
  });

  test("run with a failing job fails the step with the job's exit code, and the cluster is removed", async () => {
    const step = await runnerStep({ ...github, GITHUB_RUN_ID: "1003" });
    const result = await step.main({
      command: "run",
      backend: "docker",
      image: daskImage,
      workers: "1",
      "worker-memory": "1536MiB",
      "scheduler-memory": "1GB",
      "job-command": "exit 3",
    });
    expect(result.code).toBe(3);
    expect(result.stdout).toContain("::error::the job exited with code 3");
    expect(await step.outputs()).toMatchObject({ "job-exit-code": "3" });
    expect(await step.summary()).toContain("| job exit code | 3 |");
    expect(await dockerLeftovers((await step.outputs())["cluster-id"] ?? "")).toEqual([]);
    await rm(step.dir, { recursive: true, force: true });
  });

  test("SIGINT during up on Fargate starts the teardown; the post step finishes it: nothing remains", async () => {
    const proxy = await slowProxy(moto, 150);
    try {
      const step = await runnerStep({ ...aws, AWS_ENDPOINT_URL: proxy.endpoint, ...github, GITHUB_RUN_ID: "1004" });
      let sent = false;
      const result = await step.main(
        {
          command: "up",
          image: "123456789012.dkr.ecr.us-east-1.amazonaws.com/dask:env-0123456789abcdef",
          workers: "25",
        },
        {},
        (stdout, child) => {
          if (!sent && stdout.includes("launching 25 workers")) {
            sent = true;
            child.kill("SIGINT");
          }
        },
      );
      expect(sent).toBe(true);
      expect(result.code).not.toBe(0);
      expect(result.code).toBe(130);
      expect(result.stdout).toContain(
        "::warning::SIGINT during the up phase: the run is being cancelled; stopping the start and removing what it created",
      );
      expect(result.stdout).toContain("::error::cancelled during the up phase by SIGINT: the cluster was removed");
      const clusterId = (await step.outputs())["cluster-id"] ?? "";
      const post = await step.post({ AWS_ENDPOINT_URL: moto });
      expect(post.code, post.stdout + post.stderr).toBe(0);
      expect(await awsLeftovers(observer, clusterId)).toEqual([]);
      await rm(step.dir, { recursive: true, force: true });
    } finally {
      await proxy.close();
    }
  });

  test("build output carrying ##[set-output] (a Dockerfile step with user text) issues no workflow command", async () => {
    // The file name reaches a LABEL step that the builder echoes ("Step 12/18 : LABEL ...source-file=..."), as
    // variables: values reach ENV steps; before, such lines went to the log outside any stop-commands window.
    const dir = await mkdtemp(join(tmpdir(), "dfa-hostile-"));
    const file = join(dir, "requirements ##[set-output name=rebuilt;]pwned.txt");
    await copyFile(join(examples, "requirements.txt"), file);
    const step = await runnerStep({});
    const result = await step.main({
      command: "build",
      "environment-file": file,
      "base-image": daskImage,
      push: "false",
      force: "true",
    });
    expect(result.code, result.stdout + result.stderr).toBe(0);
    const acted = runnerCommands(result.stdout).map((c) => c.command);
    expect(
      acted.filter((c) => !["group", "endgroup", "stop-commands", "resume-commands", "debug"].includes(c)),
    ).toEqual([]);
    expect(acted).toContain("stop-commands");
    // BuildKit shows LABEL steps as metadata, not as a step with its text (the legacy builder echoed "Step 12/18 :
    // LABEL ...source-file=..."): wherever the file name is shown, it is neutralised, never a raw workflow command.
    expect(result.stdout).not.toMatch(/##\[set-output/);
    expect(result.stdout).toMatch(/##\u200B\[set-output/);
    await rm(dir, { recursive: true, force: true });
    await rm(step.dir, { recursive: true, force: true });
  });

  test("a job on the runner sees an allow-listed environment: no planted INPUT_* or ACTIONS_* token; job-env passes what it names", async () => {
    const step = await runnerStep({ ...github, GITHUB_RUN_ID: "1005" });
    const planted = {
      "INPUT_REGISTRY-USERNAME": "someone",
      "INPUT_REGISTRY-PASSWORD": "planted-registry-password",
      ACTIONS_RUNTIME_TOKEN: "planted-runtime-token",
      ACTIONS_ID_TOKEN_REQUEST_TOKEN: "planted-id-token",
      WANDB_API_KEY: "named-in-job-env",
    };
    const result = await step.main(
      {
        command: "run",
        backend: "docker",
        image: daskImage,
        workers: "1",
        "worker-memory": "1536MiB",
        "scheduler-memory": "1GB",
        "job-runs-on": "runner",
        "job-env": "WANDB_API_KEY",
        // What the shell was started with, whatever it imports itself; then a line that would set an output.
        "job-command": "tr '\\0' '\\n' < /proc/$$/environ; echo '##[set-output name=job-exit-code;]0'",
      },
      planted,
    );
    expect(result.code, result.stdout + result.stderr).toBe(0);
    const token = [...result.stdout.matchAll(/::stop-commands::([0-9a-f-]{36})/g)].at(-1)?.[1];
    const jobOutput = result.stdout.split(`::stop-commands::${token}`)[1]?.split(`::${token}::`)[0] ?? "";
    const names = jobOutput.split("\n").map((l) => l.slice(0, l.indexOf("=")));
    expect(names).toContain("DASK_SCHEDULER_ADDRESS");
    expect(names.filter((n) => /^(INPUT_|ACTIONS_)/.test(n))).toEqual([]);
    expect(jobOutput).not.toContain("planted-");
    expect(jobOutput).toContain("WANDB_API_KEY=named-in-job-env");
    expect(runnerCommands(result.stdout).map((c) => c.command)).not.toContain("set-output");
    expect(await dockerLeftovers((await step.outputs())["cluster-id"] ?? "")).toEqual([]);
    await rm(step.dir, { recursive: true, force: true });
  });

  test("job-user runs a job on the runner as nobody: the action's environment (its planted runtime token) is refused to it in /proc (issue 20)", async () => {
    const step = await runnerStep({ ...github, GITHUB_RUN_ID: "1012" });
    const workdir = await mkdtemp(join(tmpdir(), "dfa-job-user-workdir-"));
    await chmod(workdir, 0o755);
    const result = await step.main(
      {
        command: "run",
        backend: "docker",
        image: daskImage,
        workers: "1",
        "worker-memory": "1536MiB",
        "scheduler-memory": "1GB",
        "job-runs-on": "runner",
        "job-user": "nobody",
        "job-workdir": workdir,
        // Counts, never prints, the token: the same uid would read 1 here (runner-job.test.ts shows the parent's environment is open then).
        "job-command":
          "id -u; grep -c planted-runtime-tok[e]n /proc/$PPID/environ 2>/dev/null || echo parent-environ-denied",
      },
      { ACTIONS_RUNTIME_TOKEN: "planted-runtime-token" },
    );
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^65534$/m);
    expect(result.stdout).toContain("parent-environ-denied");
    expect(await dockerLeftovers((await step.outputs())["cluster-id"] ?? "")).toEqual([]);
    await rm(workdir, { recursive: true, force: true });
    await rm(step.dir, { recursive: true, force: true });
  });

  test("bad input fails before any side effect, naming the input", async () => {
    const step = await runnerStep({ ...aws });
    const result = await step.main({ command: "up", image: "dask:1", "worker-memory": "1GB" });
    expect(result.code).toBe(1);
    expect(result.stdout).toContain("::error::worker-memory: 1024 MiB does not fit 1 vCPU on Fargate");
    expect(await step.outputs()).toEqual({});
    await rm(step.dir, { recursive: true, force: true });
  });
});
