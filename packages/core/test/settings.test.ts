import { describe, expect, test } from "vitest";
import { INPUT_DEFAULTS } from "../src/defaults.js";
import { ClusterConfigError, InputError } from "../src/errors.js";
import {
  actionRaw,
  cliRaw,
  readSettings,
  SETTING_NAMES,
  type SettingsCommand,
  settingOf,
} from "../src/settings/index.js";
import type { RawSettings } from "../src/settings/raw.js";

describe("the settings table", () => {
  test("every default is core's INPUT_DEFAULTS' (written once), and every one-of lists its values", () => {
    for (const name of SETTING_NAMES) {
      const row = settingOf(name);
      if (row.default !== undefined) expect(row.default, name).toBe((INPUT_DEFAULTS as Record<string, string>)[name]);
      if (row.kind === "one-of") expect(row.values?.length, name).toBeGreaterThan(1);
      if (row.default !== undefined && row.kind === "one-of") expect(row.values, name).toContain(row.default);
    }
    for (const name of Object.keys(INPUT_DEFAULTS)) expect(SETTING_NAMES, name).toContain(name);
  });
  test("a setting one front end lacks says why; every setting has help for both", () => {
    for (const name of SETTING_NAMES) {
      const row = settingOf(name);
      for (const side of [row.action, row.cli])
        if ("absent" in side) expect(side.absent.length, name).toBeGreaterThan(20);
      expect("absent" in row.action && "absent" in row.cli, `${name} is taken by neither front end`).toBe(false);
      expect(row.help.length, name).toBeGreaterThan(3);
      if (!("absent" in row.action)) expect(row.description, name).toMatch(/^(Required|Optional)\b/);
    }
  });
});

const env = { AWS_REGION: undefined, AWS_DEFAULT_REGION: undefined };
const fromAction = (values: Record<string, string>) =>
  readSettings(
    actionRaw((name) => values[name] ?? ""),
    { frontEnd: "action", env },
  );
const fromCli = (command: SettingsCommand, flags: Record<string, string | boolean | string[]>) =>
  readSettings(cliRaw(flags), { frontEnd: "cli", command, env });
const refusal = (read: () => unknown) => {
  try {
    read();
  } catch (error) {
    expect(InputError.isInstance(error) && !ClusterConfigError.isInstance(error), String(error)).toBe(true);
    return (error as Error).message;
  }
  return "(accepted)";
};

/** Each rule between settings, from both front ends: the action's inputs, the CLI's flags, and what each is told. */
const rules: [
  rule: string,
  action: Record<string, string>,
  cli: [SettingsCommand, Record<string, string | boolean | string[]>],
  fragments: [string, string],
][] = [
  [
    "environment-file xor dockerfile",
    { command: "build", "environment-file": "e.yml", dockerfile: "Dockerfile" },
    ["build", { "environment-file": "e.yml", dockerfile: "Dockerfile" }],
    ["dockerfile: give environment-file (", "dockerfile: give --environment-file ("],
  ],
  [
    "context needs dockerfile",
    { command: "build", "environment-file": "e.yml", context: "." },
    ["build", { "environment-file": "e.yml", context: "." }],
    [
      "context: context is the build context of a Dockerfile; set dockerfile too",
      "context: --context is the build context of a Dockerfile; set --dockerfile too",
    ],
  ],
  [
    "target needs dockerfile",
    { command: "build", "environment-file": "e.yml", target: "x" },
    ["build", { "environment-file": "e.yml", target: "x" }],
    ["target: target is a stage of a Dockerfile", "target: --target is a stage of a Dockerfile"],
  ],
  [
    "build needs a source",
    { command: "build" },
    ["build", {}],
    ["command build needs environment-file (", "build needs --environment-file ("],
  ],
  [
    "up needs an image or a source",
    { command: "up", backend: "docker" },
    ["up", {}],
    ["image: command up needs image (an image with Dask)", "image: up needs --image (an image with Dask)"],
  ],
  [
    "run needs job-command",
    { command: "run", backend: "docker", image: "d:1" },
    ["run", { image: "d:1" }],
    ["job-command: command run needs job-command", "job-command: run needs --job-command"],
  ],
  [
    "docker + secrets",
    { command: "up", backend: "docker", image: "d:1", secrets: "A=arn:aws:ssm:eu-west-1:123456789012:parameter/a" },
    ["up", { image: "d:1", secret: ["A=arn:aws:ssm:eu-west-1:123456789012:parameter/a"] }],
    ["secrets: the docker backend does not resolve", "secret: the docker backend does not resolve"],
  ],
  [
    "docker + output-uri",
    { command: "run", backend: "docker", image: "d:1", "job-command": "x", "output-uri": "s3://b/p" },
    ["run", { image: "d:1", "job-command": "x", "output-uri": "s3://b/p" }],
    ["output-uri: output-uri is where", "output-uri: --output-uri is where"],
  ],
  [
    "fargate needs a region",
    { command: "up", image: "d:1" },
    ["up", { backend: "fargate", image: "d:1" }],
    [
      "region: the fargate backend needs a region: set region or AWS_REGION",
      "region: the fargate backend needs a region: set --region or AWS_REGION",
    ],
  ],
  [
    "assign-public-ip is true or false",
    { command: "up", image: "d:1", region: "eu-west-1", "assign-public-ip": "yes" },
    ["up", { backend: "fargate", image: "d:1", region: "eu-west-1", "assign-public-ip": "yes" }],
    [
      'assign-public-ip: "yes" is not accepted; use one of: true, false',
      'assign-public-ip: "yes" is not accepted; use one of: true, false',
    ],
  ],
  [
    "job-env needs job-runs-on runner",
    { command: "run", backend: "docker", image: "d:1", "job-command": "x", "job-env": "A" },
    ["run", { image: "d:1", "job-command": "x", "job-env": ["A"] }],
    [
      "job-env: job-env names variables a job on the runner inherits (job-runs-on runner)",
      "job-env: --job-env names variables a job on the runner inherits (--job-runs-on runner)",
    ],
  ],
  [
    "job-user needs job-runs-on runner",
    { command: "run", backend: "docker", image: "d:1", "job-command": "x", "job-user": "nobody" },
    ["run", { image: "d:1", "job-command": "x", "job-user": "nobody" }],
    [
      "job-user: job-user is the user a job on the runner runs as (job-runs-on runner)",
      "job-user: --job-user is the user a job on the runner runs as (--job-runs-on runner)",
    ],
  ],
  [
    "a runner job on fargate needs client-cidr",
    { command: "run", image: "d:1", region: "eu-west-1", "job-command": "x", "job-runs-on": "runner" },
    ["run", { backend: "fargate", image: "d:1", region: "eu-west-1", "job-command": "x", "job-runs-on": "runner" }],
    [
      "client-cidr: job-runs-on runner with the fargate backend needs client-cidr",
      "client-cidr: --job-runs-on runner with the fargate backend needs --client-cidr",
    ],
  ],
  [
    "a whole number",
    { command: "up", image: "d:1", region: "eu-west-1", "ephemeral-storage": "21.5" },
    ["up", { backend: "fargate", image: "d:1", region: "eu-west-1", "ephemeral-storage": "21.5" }],
    ['ephemeral-storage: "21.5" is not a whole number', 'ephemeral-storage: "21.5" is not a whole number'],
  ],
];

describe("every rule between settings is applied once, for both front ends, in each one's words", () => {
  test.each(rules)("%s", (_rule, action, [command, flags], [actionText, cliText]) => {
    expect(refusal(() => fromAction(action))).toContain(actionText);
    expect(refusal(() => fromCli(command, flags))).toContain(cliText);
  });
  test("registry-username and registry-password go together where the front end takes the password (the CLI reads it from stdin)", () => {
    expect(
      refusal(() => fromAction({ command: "build", "environment-file": "e.yml", "registry-username": "me" })),
    ).toContain("registry-password: registry-username and registry-password go together");
    expect(fromCli("build", { "environment-file": "e.yml", "registry-username": "me" }).registryUsername).toBe("me");
  });
  test("down needs cluster-id in the action; the CLI's down finds a recorded cluster", () => {
    expect(refusal(() => fromAction({ command: "down", backend: "docker" }))).toContain(
      "cluster-id: command down needs cluster-id",
    );
    expect(fromCli("down", {}).clusterId).toBeUndefined();
  });
  test("the CLI's setup-roles takes output-uri and the region without a backend", () => {
    expect(fromCli("setup-roles", { "output-uri": "s3://b/p" }).backendSettings).toEqual({});
  });
});

describe("values", () => {
  test("the region falls back to AWS_REGION, then AWS_DEFAULT_REGION, for both front ends", () => {
    const raw: RawSettings = { command: "up", image: "d:1" };
    for (const [given, region] of [
      [{ AWS_REGION: "eu-west-1", AWS_DEFAULT_REGION: "us-east-2" }, "eu-west-1"],
      [{ AWS_DEFAULT_REGION: "us-east-2" }, "us-east-2"],
    ] as const) {
      expect(readSettings(raw, { frontEnd: "action", env: given }).backendSettings.fargate?.region).toBe(region);
      expect(
        readSettings({ backend: "fargate", image: "d:1" }, { frontEnd: "cli", command: "up", env: given })
          .backendSettings.fargate?.region,
      ).toBe(region);
    }
    expect(
      readSettings({ ...raw, region: "ap-south-1" }, { frontEnd: "action", env: { AWS_REGION: "eu-west-1" } })
        .backendSettings.fargate?.region,
    ).toBe("ap-south-1");
  });
  test("the same Fargate settings from the action's inputs and the CLI's flags", () => {
    const action = fromAction({
      command: "up",
      image: "d:1",
      region: "eu-west-1",
      subnets: "subnet-0a, subnet-0b",
      secrets: "A=arn:aws:ssm:eu-west-1:123456789012:parameter/a\nB=arn:aws:ssm:eu-west-1:123456789012:parameter/b",
      "assign-public-ip": "false",
      "platform-version": "1.4.0",
      "ephemeral-storage": "40",
      "keep-logs": "true",
      tls: "false",
    });
    const cli = fromCli("up", {
      backend: "fargate",
      image: "d:1",
      region: "eu-west-1",
      subnets: "subnet-0a,subnet-0b",
      secret: ["A=arn:aws:ssm:eu-west-1:123456789012:parameter/a", "B=arn:aws:ssm:eu-west-1:123456789012:parameter/b"],
      "assign-public-ip": "false",
      "platform-version": "1.4.0",
      "ephemeral-storage": "40",
      "keep-logs": true,
      "no-tls": true,
    });
    expect(cli.backendSettings).toEqual(action.backendSettings);
    expect(cli.cluster).toEqual(action.cluster);
    expect(action.backendSettings.fargate).toMatchObject({
      assignPublicIp: false,
      platformVersion: "1.4.0",
      ephemeralStorage: 40,
      keepLogs: true,
    });
    expect(action.cluster.tls).toBe(false);
  });
  test("defaults the reader applies: the action's command run and backend fargate, the CLI's backend docker; push and TLS on", () => {
    const action = fromAction({ image: "d:1", "job-command": "x", region: "eu-west-1" });
    expect([
      action.command,
      action.backend,
      action.push,
      action.cluster.tls,
      action.jobRunsOn,
      action.jobWorkdir,
    ]).toEqual(["run", "fargate", true, true, "cluster", "."]);
    const cli = fromCli("up", { image: "d:1", "no-push": true });
    expect([cli.backend, cli.push, cli.cluster.tls]).toEqual(["docker", false, true]);
  });
});
