import { describe, expect, test } from "vitest";
import type { DaskCli } from "../src/cluster-spec.js";
import { resolveClusterSpec } from "../src/index.js";
import { jobCommand, schedulerCommand, workerCommand } from "../src/internal/dask-commands.js";

const spec = (daskCli: DaskCli, tls: boolean) =>
  resolveClusterSpec({
    image: "dask:1",
    clusterId: "c1",
    daskCli,
    tls,
    workers: 3,
    workerCpu: 2,
    workerMemory: "8GB",
    idleTimeout: "20m",
    maxLifetime: "2h",
  });

describe.each<DaskCli>(["module", "dask", "legacy"])("the %s CLI form", (cli) => {
  test("scheduler and worker commands without TLS", () => {
    expect(schedulerCommand(spec(cli, false)).join(" ")).toMatchSnapshot();
    expect(workerCommand(spec(cli, false), "tcp://10.0.0.5:8786", "worker-0").join(" ")).toMatchSnapshot();
  });
});

test("TLS adds the protocol and the file flags to scheduler and workers", () => {
  expect(schedulerCommand(spec("module", true))).toMatchInlineSnapshot(`
    [
      "timeout",
      "--kill-after=30",
      "7200",
      "python3",
      "-m",
      "distributed.cli.dask_scheduler",
      "--protocol",
      "tls",
      "--port",
      "8786",
      "--dashboard-address",
      ":8787",
      "--idle-timeout",
      "1200s",
      "--tls-ca-file",
      "/tmp/dask-fargate-tls/ca.pem",
      "--tls-cert",
      "/tmp/dask-fargate-tls/member.pem",
      "--tls-key",
      "/tmp/dask-fargate-tls/member-key.pem",
    ]
  `);
  expect(workerCommand(spec("module", true), "tls://10.0.0.5:8786", "worker-2")).toMatchInlineSnapshot(`
    [
      "timeout",
      "--kill-after=30",
      "7200",
      "python3",
      "-m",
      "distributed.cli.dask_worker",
      "tls://10.0.0.5:8786",
      "--name",
      "worker-2",
      "--nthreads",
      "2",
      "--memory-limit",
      "7372MiB",
      "--death-timeout",
      "120s",
      "--no-dashboard",
      "--tls-ca-file",
      "/tmp/dask-fargate-tls/ca.pem",
      "--tls-cert",
      "/tmp/dask-fargate-tls/member.pem",
      "--tls-key",
      "/tmp/dask-fargate-tls/member-key.pem",
    ]
  `);
});

test("with outputs through S3 the signing key moves to a 0600 file first, the job's command is not exec'd, the fixed uploader runs after it, and the job's exit code is the container's", () => {
  expect(jobCommand(spec("module", true), { uploadOutputs: true })).toMatchInlineSnapshot(`
    [
      "timeout",
      "--kill-after=30",
      "7200",
      "sh",
      "-c",
      "dfa_key=$(mktemp) && printf '%s' "$DFA_OUTPUT_KEY" > "$dfa_key" && unset DFA_OUTPUT_KEY && mkdir -p "$DFA_OUTPUT_DIR" && python3 -c "$DFA_WAIT_FOR_WORKERS" && sh -c "$DFA_JOB_COMMAND"; code=$?; DFA_OUTPUT_KEY_FILE="$dfa_key" python3 -c "$DFA_UPLOAD_OUTPUTS" || echo "dask-fargate: the job outputs were not all uploaded (the job's exit code $code is kept)" >&2; exit $code",
    ]
  `);
});

test("every command ends at the hard lifetime, with a KILL 30 s after the TERM", () => {
  for (const command of [
    schedulerCommand(spec("dask", false)),
    workerCommand(spec("dask", false), "tcp://a:8786", "w"),
    jobCommand(spec("dask", false)),
  ]) {
    expect(command.slice(0, 3)).toEqual(["timeout", "--kill-after=30", "7200"]);
  }
});

test("the job command carries no user text: it reads the command from the environment", () => {
  expect(jobCommand(spec("module", true))).toMatchInlineSnapshot(`
    [
      "timeout",
      "--kill-after=30",
      "7200",
      "sh",
      "-c",
      "mkdir -p "$DFA_OUTPUT_DIR" && python3 -c "$DFA_WAIT_FOR_WORKERS" && exec sh -c "$DFA_JOB_COMMAND"",
    ]
  `);
});
