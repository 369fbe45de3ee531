/**
 * Text from sources a user or a job controls (build output, job and container logs, remote error messages) made
 * safe to print, by the CLI on a terminal or in a workflow's `run:` step and by the action into the Actions log.
 * Two things are neutralised, each visibly (the text stays readable; nothing is dropped):
 *
 * - terminal control: every C0 control character but tab and newline, DEL and the C1 controls are written as
 *   `\u001b`-style escapes. ESC starts every sequence a terminal acts on (CSI `ESC [` moving the cursor or
 *   clearing the screen, OSC `ESC ]` setting the clipboard (52) or a hyperlink (8), DCS, APC, PM, SOS), and the
 *   C1 bytes 0x9B and 0x9D are CSI and OSC on their own (ECMA-48, 5.3 and 8.3), so once they are text no
 *   sequence can run. A carriage return becomes a line break (a lone `\r` would let a line overwrite the one
 *   before; the Actions runner reads it as a line break anyway). The escapes are valid in a JSON string, so
 *   the same text can be part of a JSON document;
 * - workflow commands: the Actions runner reads its output line by line and treats a line as a command when,
 *   after leading whitespace, it starts with `::`, or when it contains `##[` anywhere (the legacy form;
 *   actions/runner, src/Runner.Common/ActionCommand.cs, TryParseV2 and TryParse). A zero-width space breaks
 *   both markers.
 */

/** C0 controls but tab and newline, DEL and C1 (carriage returns are handled before). */
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point.
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;

/** Writes terminal control characters as visible `\u001b`-style escapes; `\r\n` and a lone `\r` become `\n`. */
export function escapeControlCharacters(text: string): string {
  return text.replace(/\r\n?/g, "\n").replace(CONTROL, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

/** Breaks `##[` anywhere and `::` at every line start with a zero-width space. */
export function neutralizeWorkflowCommands(text: string): string {
  return text.replace(/##\[/g, "##\u200B[").replace(/(^|[\r\n])([\s\u0085]*)::/g, "$1$2:\u200B:");
}

/** Both: what every line of untrusted text goes through before it is printed. */
export function neutralizeUntrustedText(text: string): string {
  return neutralizeWorkflowCommands(escapeControlCharacters(text));
}

/**
 * A value as indented JSON that prints as safely as {@link neutralizeUntrustedText} and parses back to the same
 * value: JSON.stringify escapes C0 controls itself; DEL and C1 become `\u` escapes, and the `[` of `##[` is
 * written `\u005b`. No line of indented JSON starts with `:`.
 */
export function jsonForTerminal(value: unknown): string {
  return escapeControlCharacters(JSON.stringify(value, null, 2) ?? "null").replace(/##\[/g, "##\\u005b");
}
