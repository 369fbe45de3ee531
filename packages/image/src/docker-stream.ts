import { createInterface } from "node:readline";

/** One JSON message of the Docker Engine's build or push progress stream. */
export interface EngineMessage {
  readonly stream?: string;
  readonly status?: string;
  readonly progress?: string;
  readonly id?: string;
  readonly error?: string;
  readonly errorDetail?: { readonly message?: string; readonly code?: number };
  /** An object for the image id and push results; a base64 string for BuildKit's `moby.buildkit.trace`. */
  readonly aux?:
    | { readonly ID?: string; readonly Tag?: string; readonly Digest?: string; readonly Size?: number }
    | string;
}

/**
 * Reads a newline-delimited JSON progress stream to its end and calls `onMessage` for each message.
 * Unlike dockerode's followProgress, a message that carries `error` is not success: the first one is
 * returned so the caller can fail with it.
 */
export async function readEngineStream(
  stream: NodeJS.ReadableStream,
  onMessage: (message: EngineMessage) => void,
): Promise<EngineMessage | undefined> {
  let firstError: EngineMessage | undefined;
  const handle = (line: string) => {
    if (line.trim() === "") return;
    let message: EngineMessage;
    try {
      message = JSON.parse(line) as EngineMessage;
    } catch {
      message = { stream: line };
    }
    if ((message.error || message.errorDetail?.message) && !firstError) firstError = message;
    onMessage(message);
  };
  // node:readline, not a hand split: it decodes UTF-8 across chunk boundaries (a build step's output cut in
  // the middle of a character) and gives the last line even without a newline.
  for await (const line of createInterface({ input: stream, crlfDelay: Number.POSITIVE_INFINITY })) handle(line);
  return firstError;
}

/** The error text of a message, preferring errorDetail. */
export function engineErrorText(message: EngineMessage): string {
  return (message.errorDetail?.message ?? message.error ?? "unknown error").trim();
}
