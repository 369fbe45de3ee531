/**
 * The logging surface core writes to; the CLI, the action and tests inject their own. The image package
 * defines the same shape (the two packages do not depend on each other, so neither re-exports the other's):
 * a type test in pipeline (logger-shape.test.ts) keeps them structurally equal, so one logger serves both.
 */
export interface Logger {
  info(message: string): void;
  warn(message: string): void;
  /** Detailed output such as build steps or each request; may be hidden by the caller. */
  debug(message: string): void;
}

/** A logger that drops everything. */
export const silentLogger: Logger = { info: () => {}, warn: () => {}, debug: () => {} };
