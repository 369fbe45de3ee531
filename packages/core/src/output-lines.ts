/** Splits chunks of text into lines and calls `onLine` for each complete one; `flush` emits the rest. */
export function lineSplitter(onLine: (line: string) => void): { push(chunk: Buffer | string): void; flush(): void } {
  let buffered = "";
  return {
    push(chunk) {
      buffered += typeof chunk === "string" ? chunk : chunk.toString("utf8");
      let newline = buffered.indexOf("\n");
      while (newline >= 0) {
        onLine(buffered.slice(0, newline).replace(/\r$/, ""));
        buffered = buffered.slice(newline + 1);
        newline = buffered.indexOf("\n");
      }
    },
    flush() {
      if (buffered !== "") onLine(buffered);
      buffered = "";
    },
  };
}
