/**
 * The logging surface the image package writes to; the CLI, the action and tests inject their own. Core
 * defines the same shape (the two packages do not depend on each other): a type test in pipeline
 * (logger-shape.test.ts) keeps them structurally equal, so one logger serves both.
 */
export interface Logger {
  info(message: string): void;
  warn(message: string): void;
  /** Detailed output such as build steps or each request; may be hidden by the caller. */
  debug(message: string): void;
}

/** A logger that drops everything. */
export const silentLogger: Logger = {
  info: () => {},
  warn: () => {},
  debug: () => {},
};

/** A logger that writes to the process's stderr with a level prefix. */
export const consoleLogger: Logger = {
  info: (m) => process.stderr.write(`${m}\n`),
  warn: (m) => process.stderr.write(`warning: ${m}\n`),
  debug: (m) => process.stderr.write(`  ${m}\n`),
};
