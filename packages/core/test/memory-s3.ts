import { Readable } from "node:stream";
import { GetObjectCommand, ListObjectsV2Command, S3Client } from "@aws-sdk/client-s3";

/**
 * An S3Client whose GetObject and ListObjectsV2 answer from a map of key → body (one bucket), for unit tests of
 * the download; the emulator's end-to-end test (job-outputs-emulator.itest.ts) runs it against moto's S3.
 * A real S3Client with `send` replaced, so the SDK's paginator accepts it.
 */
export function memoryS3(objects: Map<string, Buffer>): S3Client & { gets: string[] } {
  const client = new S3Client({
    region: "us-east-1",
    credentials: { accessKeyId: "x", secretAccessKey: "x" },
  }) as S3Client & { gets: string[] };
  client.gets = [];
  const send = async (command: unknown) => {
    if (command instanceof GetObjectCommand) {
      const key = command.input.Key ?? "";
      client.gets.push(key);
      const body = objects.get(key);
      if (!body) throw Object.assign(new Error("The specified key does not exist."), { name: "NoSuchKey" });
      return { Body: Readable.from([body]), ContentLength: body.length };
    }
    if (command instanceof ListObjectsV2Command) {
      const prefix = command.input.Prefix ?? "";
      const keys = [...objects.keys()].filter((k) => k.startsWith(prefix)).sort();
      const start = command.input.ContinuationToken ? Number(command.input.ContinuationToken) : 0;
      const size = command.input.MaxKeys ?? 1000;
      const page = keys.slice(start, start + size);
      const more = start + size < keys.length;
      return {
        Contents: page.map((Key) => ({ Key })),
        IsTruncated: more,
        ...(more ? { NextContinuationToken: String(start + size) } : {}),
      };
    }
    throw new Error(`memoryS3 does not answer ${(command as object).constructor.name}`);
  };
  (client as unknown as { send: typeof send }).send = send;
  return client;
}
