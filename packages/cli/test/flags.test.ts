import { INPUT_DEFAULTS } from "@dask-fargate-action/core/defaults";
import { cliFlagDocs } from "@dask-fargate-action/core/settings";
import { DEFAULT_BASE_IMAGE } from "@dask-fargate-action/image";
import { describe, expect, test } from "vitest";
import { COMMAND_FLAGS, type CommandName, FLAGS, flagsOf, parseFlags } from "../src/flags.js";
import { HELP } from "../src/help.js";

const commands = Object.keys(COMMAND_FLAGS) as CommandName[];

describe("one flag table drives parsing and help", () => {
  test("a flag another command takes is refused, naming the flag and the command", () => {
    expect(() => parseFlags("status", ["--workers", "5"])).toThrowErrorMatchingInlineSnapshot(
      `[UsageError: status does not take --workers; see dask-fargate status --help]`,
    );
    expect(() => parseFlags("build", ["--job-command", "true"])).toThrowErrorMatchingInlineSnapshot(
      `[UsageError: build does not take --job-command; see dask-fargate build --help]`,
    );
    expect(() => parseFlags("down", ["--spot-workers"])).toThrowErrorMatchingInlineSnapshot(
      `[UsageError: down does not take --spot-workers; see dask-fargate down --help]`,
    );
  });
  test("a flag no command takes is refused as unknown, with the nearest flag the command takes", () => {
    expect(() => parseFlags("status", ["--wrokers", "5"])).toThrowErrorMatchingInlineSnapshot(
      `[UsageError: status: unknown flag --wrokers; see dask-fargate status --help]`,
    );
    expect(() => parseFlags("scale", ["--wrokers", "5"])).toThrowErrorMatchingInlineSnapshot(
      `[UsageError: scale: unknown flag --wrokers (did you mean --workers?); see dask-fargate scale --help]`,
    );
    expect(() => parseFlags("up", ["--quiet"])).toThrowErrorMatchingInlineSnapshot(
      `[UsageError: up: unknown flag --quiet; see dask-fargate up --help]`,
    );
  });
  test("each command accepts every flag its help lists", () => {
    for (const command of commands)
      for (const name of flagsOf(command)) {
        const spec: { type: string } = FLAGS[name];
        expect(
          () => parseFlags(command, spec.type === "boolean" ? [`--${name}`] : [`--${name}`, "x"]),
          `${command} --${name}`,
        ).not.toThrow();
      }
  });
  test.each(commands)("%s --help lists exactly its own flags", (command) => {
    const listed = [...HELP[command].matchAll(/^ {2}(?:-h, )?--([a-z-]+)/gm)].map((m) => m[1]);
    expect(listed.sort()).toEqual(flagsOf(command).sort());
  });
  test("defaults are shown beside their flags", () => {
    expect(HELP.build).toContain("--base-image REF");
    expect(HELP.build).toMatch(
      /--platform PLATFORM +image platform: linux\/amd64 or linux\/arm64 \(default linux\/amd64\)/,
    );
    expect(HELP.up).toMatch(
      /--workers N\|MIN-MAX +number of workers, or a range \(e.g. 2-16\) the job.s adaptive target moves it in \(default 2\)/,
    );
    expect(HELP.logs).toMatch(/--tail N +lines per member \(default 50\)/);
    expect(HELP.status).not.toContain("--workers");
  });
  test("every flag in the table belongs to some command", () => {
    const used = new Set(commands.flatMap(flagsOf));
    expect(Object.keys(FLAGS).filter((name) => !used.has(name as keyof typeof FLAGS))).toEqual([]);
  });
  test("absent flags: booleans false, others undefined", () => {
    const flags = parseFlags("run", []);
    expect([flags.json, flags["no-tls"], flags.workers, flags.secret]).toEqual([false, false, undefined, undefined]);
  });
  test("the defaults in help are core's (the action's), the CLI's own where the table gives one, and the image package's", () => {
    for (const [name, value] of Object.entries(INPUT_DEFAULTS))
      if (name in FLAGS && name !== "backend")
        expect((FLAGS[name as keyof typeof FLAGS] as { default?: string }).default, name).toBe(value);
    // The command line starts on the local engine; the action on Fargate.
    expect([FLAGS.backend.default, INPUT_DEFAULTS.backend]).toEqual(["docker", "fargate"]);
    expect(FLAGS["base-image"].default).toBe(DEFAULT_BASE_IMAGE);
  });
  test.each(commands)(
    "%s --help shows every flag the settings table gives it, with the table's help and default",
    (command) => {
      const table = [...cliFlagDocs()].filter(([, doc]) => doc.commands.includes(command));
      expect(
        flagsOf(command)
          .filter((name) => name !== "help")
          .sort(),
      ).toEqual(table.map(([flag]) => flag).sort());
      const help = HELP[command].replace(/\n {31}/g, " ");
      for (const [flag, doc] of table) {
        const own = doc.wording[command];
        const text = (own?.help ?? doc.help).replace(/\n/g, " ");
        const shown = own?.default === undefined ? doc.default : (own.default ?? undefined);
        const line = help.split("\n").find((l) => l.startsWith(`  --${flag}${doc.value ? ` ${doc.value}` : ""} `));
        expect(line, `${command} --${flag}`).toBeDefined();
        expect(line?.replace(/^ {2}\S+(?: \S+)? +/, ""), `${command} --${flag}`).toBe(
          shown === undefined ? text : `${text} (default ${shown})`,
        );
      }
    },
  );
});
