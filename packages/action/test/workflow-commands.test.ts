import { afterEach, describe, expect, test, vi } from "vitest";
import { actionLogger, setFailed, withUntrustedLog } from "../src/action-io.js";
import { JobLog } from "../src/job-log.js";
import { neutralizeCommands, StopCommandsWindow } from "../src/workflow-commands.js";
import { runnerCommands } from "./integration/runner.js";

/** Text a pull request controls: a `variables:` value in a Dockerfile step, a job's or container's output. */
const hostile = [
  'Step 5/16 : ENV A_NOTE="##[set-output name=image;]evil/image"',
  "::add-mask::AKIA",
  "   ::set-output name=rebuilt::true",
  "\t::error title=x::fake failure",
  "progress 10%\r::warning::after a carriage return",
  "ok\n::endgroup::",
  "##[group]folded",
  "prefix ##[add-path]/tmp/evil",
  "::stop-commands::attacker-token",
];

describe("neutralizeCommands", () => {
  test("breaks `##[` anywhere and `::` at every line start with a zero-width space; other text is unchanged", () => {
    expect(hostile.map((line) => neutralizeCommands(line).replaceAll("\u200B", "<ZWSP>"))).toMatchInlineSnapshot(`
      [
        "Step 5/16 : ENV A_NOTE="##<ZWSP>[set-output name=image;]evil/image"",
        ":<ZWSP>:add-mask::AKIA",
        "   :<ZWSP>:set-output name=rebuilt::true",
        "	:<ZWSP>:error title=x::fake failure",
        "progress 10%
      :<ZWSP>:warning::after a carriage return",
        "ok
      :<ZWSP>:endgroup::",
        "##<ZWSP>[group]folded",
        "prefix ##<ZWSP>[add-path]/tmp/evil",
        ":<ZWSP>:stop-commands::attacker-token",
      ]
    `);
    expect(neutralizeCommands("a :: b ## [c] 12:00::00")).toBe("a :: b ## [c] 12:00::00");
  });

  test.each(hostile)("the runner acts on nothing in %j once neutralised", (line) => {
    expect(runnerCommands(line)).not.toEqual([]);
    expect(runnerCommands(neutralizeCommands(line))).toEqual([]);
  });
});

describe("StopCommandsWindow", () => {
  test("lines go between ::stop-commands::TOKEN and ::TOKEN::; each opening has a fresh token", () => {
    const written: string[] = [];
    let n = 0;
    const window = new StopCommandsWindow(
      (l) => written.push(l),
      () => `token-${++n}`,
    );
    for (const line of hostile) window.line(line);
    window.close();
    window.line("::token-1::");
    window.close();
    expect(written[0]).toBe("::stop-commands::token-1");
    expect(written.at(-3)).toBe("::stop-commands::token-2");
    expect(runnerCommands(written.join("\n")).map((c) => c.command)).toEqual([
      "stop-commands",
      "resume-commands",
      "stop-commands",
      "resume-commands",
    ]);
  });

  test("closeAll ends every open window, so a warning written at any moment (a signal's) is acted on", () => {
    const written: string[] = [];
    let n = 0;
    const job = new StopCommandsWindow(
      (l) => written.push(l),
      () => `job-${++n}`,
    );
    const build = new StopCommandsWindow(
      (l) => written.push(l),
      () => `build-${++n}`,
    );
    job.line("epoch 1");
    build.line("Step 1/18 : FROM base");
    StopCommandsWindow.closeAll();
    written.push("::warning::SIGTERM during the job phase: the run is being cancelled");
    job.line("epoch 2");
    job.close();
    const acted = runnerCommands(written.join("\n"));
    expect(acted.filter((c) => c.command === "warning").map((c) => c.data)).toEqual([
      "SIGTERM during the job phase: the run is being cancelled",
    ]);
    expect(written.at(-3)).toBe("::stop-commands::job-3");
  });

  test("the job log keeps the lines as written for the summary", () => {
    const log = new JobLog(() => {}, 2);
    for (const line of hostile) log.line(line);
    expect(runnerCommands(log.lastLines().join("\n"))).toEqual([]);
    expect(log.lastLines()).toHaveLength(2);
  });
});

describe("what the action writes", () => {
  let stdout = "";
  const capture = () => {
    stdout = "";
    vi.spyOn(process.stdout, "write").mockImplementation((chunk: string | Uint8Array) => {
      stdout += String(chunk);
      return true;
    });
  };
  afterEach(() => {
    vi.restoreAllMocks();
    process.exitCode = undefined;
  });

  test("the action's logger (remote errors, progress) never issues a command from message text", () => {
    capture();
    for (const line of hostile) actionLogger.info(line);
    for (const line of hostile) actionLogger.warn(line);
    expect(runnerCommands(stdout).map((c) => c.command)).toEqual(hostile.map(() => "warning"));
  });

  test("build output streams inside a stop-commands window; warnings close it and still annotate", async () => {
    capture();
    await withUntrustedLog(async (logger) => {
      logger.info(hostile[0] ?? "");
      logger.debug("pip output ##[set-output name=digest;]sha256:0");
      logger.warn("environment.yml: no channels are listed; using conda-forge");
      for (const line of hostile) logger.info(line);
    });
    expect(runnerCommands(stdout).map((c) => c.command)).toEqual([
      "stop-commands",
      "resume-commands",
      "warning",
      "stop-commands",
      "resume-commands",
    ]);
  });

  test("a failure message carrying a container's last lines fails the step and issues nothing else", () => {
    capture();
    setFailed(new Error(`member c1-worker-0 stopped (exit 1); last output:\n  ${hostile.join("\n  ")}`));
    expect(runnerCommands(stdout).map((c) => c.command)).toEqual(["error"]);
  });
});
