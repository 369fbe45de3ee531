import { parseEnvironment } from "../src/load-environment.js";

/** The message of the error that parsing `text` as `file` throws, or a marker when it does not throw. */
export function errorOf(file: string, text: string): string {
  try {
    parseEnvironment(file, text);
  } catch (error) {
    return (error as Error).message;
  }
  return "(no error)";
}

/** A conda environment file whose dependency list is `items` (each written as "  - item"). */
export function envWith(...items: string[]): string {
  return `channels:\n  - conda-forge\ndependencies:\n${items.map((i) => `  - ${i}`).join("\n")}\n`;
}
