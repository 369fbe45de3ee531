import { execFile, spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { SignatureV4 } from "@smithy/signature-v4";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { downloadJobOutputs } from "../src/fargate/fargate-outputs.js";
import { verifyManifest } from "../src/fargate/output-manifest.js";
import { UPLOAD_OUTPUTS_PY } from "../src/fargate/output-uploader.js";
import { resolveClusterSpec } from "../src/index.js";
import { jobCommand } from "../src/internal/dask-commands.js";
import { memoryS3 } from "./memory-s3.js";
import { NodeSha256, parseAmzDate } from "./sigv4-check.js";

/**
 * The uploader a Fargate job task runs, executed for real with this machine's python3: its SigV4 signer against
 * the examples of the S3 API reference ("Signature Calculations for the Authorization Header: Transferring Payload
 * in a Single Chunk", https://docs.aws.amazon.com/AmazonS3/latest/API/sig-v4-header-based-auth.html: access key
 * AKIAIOSFODNN7EXAMPLE, 20130524T000000Z, us-east-1), then whole uploads against a local server that plays the
 * container credentials endpoint and S3, whose requests are checked with the AWS SDK's own signer.
 */
const run = promisify(execFile);
const scratch = mkdtempSync(join(tmpdir(), "dfa-uploader-"));
const script = join(scratch, "uploader.py");
writeFileSync(script, UPLOAD_OUTPUTS_PY);
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const EXAMPLE = {
  access: "AKIAIOSFODNN7EXAMPLE",
  secret: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
  region: "us-east-1",
  date: "20130524T000000Z",
};
const SIGNING_KEY = Buffer.alloc(32, 0x5a);
const EMPTY_SHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

/** Calls the script's `sign` (imported as a module, so its main does not run) and returns the headers. */
async function sign(request: {
  method: string;
  path: string;
  query?: Record<string, string>;
  headers: Record<string, string>;
  payloadHash: string;
}) {
  const program = [
    "import importlib.util, json, sys",
    "spec = importlib.util.spec_from_file_location('uploader', sys.argv[1])",
    "m = importlib.util.module_from_spec(spec); spec.loader.exec_module(m)",
    "r = json.loads(sys.argv[2])",
    "print(json.dumps(m.sign(r['method'], 'examplebucket.s3.amazonaws.com', r['path'], r['query'], r['headers'], r['payloadHash'], r['access'], r['secret'], None, r['region'], r['date'])))",
  ].join("\n");
  const { stdout } = await run("python3", [
    "-c",
    program,
    script,
    JSON.stringify({ query: {}, ...request, ...EXAMPLE }),
  ]);
  return JSON.parse(stdout) as Record<string, string>;
}

describe("the uploader's SigV4 signer gives the S3 API reference's signatures", () => {
  test("GET Object (a Range header, empty payload)", async () => {
    const headers = await sign({
      method: "GET",
      path: "/test.txt",
      headers: { Range: "bytes=0-9" },
      payloadHash: EMPTY_SHA256,
    });
    expect(headers["authorization"]).toBe(
      "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request,SignedHeaders=host;range;x-amz-content-sha256;x-amz-date,Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41",
    );
  });

  test("PUT Object (a $ in the key, a storage class, the payload's hash)", async () => {
    const payloadHash = createHash("sha256").update("Welcome to Amazon S3.").digest("hex");
    expect(payloadHash).toBe("44ce7dd67c959e0d3524ffac1771dfbba87d2b6b4b4e99e42034a8b803f8b072");
    const headers = await sign({
      method: "PUT",
      path: "/test$file.text",
      headers: { Date: "Fri, 24 May 2013 00:00:00 GMT", "x-amz-storage-class": "REDUCED_REDUNDANCY" },
      payloadHash,
    });
    expect(headers["authorization"]).toBe(
      "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request,SignedHeaders=date;host;x-amz-content-sha256;x-amz-date;x-amz-storage-class,Signature=98ad721746da40c64f1a55b78f14c238d841ea1380cd77a1b5971af0ece108bd",
    );
  });

  test("GET Bucket (List Objects) with a query string", async () => {
    const headers = await sign({
      method: "GET",
      path: "/",
      query: { "max-keys": "2", prefix: "J" },
      headers: {},
      payloadHash: EMPTY_SHA256,
    });
    expect(headers["authorization"]).toContain(
      "Signature=34b48302e7b5fa45bde8084f4b7868a86f0a534bc59db6670ed5711ef69dc6f7",
    );
  });
});

interface Received {
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingMessage["headers"];
  readonly body: Buffer;
}

/** The container credentials endpoint (token-checked) and an S3 that stores PUTs, on one local port. */
function fakeAws(options: { s3Status: number }) {
  const received: Received[] = [];
  const credentials = {
    AccessKeyId: "ASIATASKROLE",
    SecretAccessKey: "task-role-secret",
    Token: "task-role-session-token",
  };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      if (req.url === "/v2/credentials/task-1") {
        if (req.headers.authorization !== "auth-token") res.writeHead(403).end();
        else
          res
            .writeHead(200, { "content-type": "application/json" })
            .end(JSON.stringify({ ...credentials, Expiration: "2030-01-01T00:00:00Z" }));
        return;
      }
      received.push({
        method: req.method ?? "",
        url: req.url ?? "",
        headers: req.headers,
        body: Buffer.concat(chunks),
      });
      res.writeHead(options.s3Status).end(options.s3Status === 200 ? "" : "<Error><Code>AccessDenied</Code></Error>");
    });
  });
  return { server, received, credentials };
}

async function listen(server: Server): Promise<string> {
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** Runs the Fargate job command (wait script replaced by a no-op) as the task would, with `sh`. */
function runJob(env: Record<string, string>, command: string): Promise<{ code: number; stderr: string }> {
  const spec = resolveClusterSpec({ image: "dask:1", clusterId: "dfa-0123abcd", tls: false });
  const [program, ...args] = jobCommand(spec, { uploadOutputs: true });
  return new Promise((resolve, reject) => {
    const child = spawn(program ?? "", args, {
      env: {
        PATH: process.env["PATH"] ?? "",
        DFA_WAIT_FOR_WORKERS: "pass",
        DFA_UPLOAD_OUTPUTS: UPLOAD_OUTPUTS_PY,
        DFA_JOB_COMMAND: command,
        ...env,
      },
      stdio: ["ignore", "ignore", "pipe"],
    });
    let stderr = "";
    child.stderr.on("data", (c: Buffer) => {
      stderr += c.toString();
    });
    child.on("error", reject);
    child.on("close", (code) => resolve({ code: code ?? -1, stderr }));
  });
}

describe("the job task's command: the job, then the uploader, and the job's exit code", () => {
  let outputDir = "";
  const env = (endpoint: string) => ({
    DFA_OUTPUT_DIR: outputDir,
    DFA_OUTPUT_BUCKET: "models",
    DFA_OUTPUT_PREFIX: "nightly/dfa-0123abcd/t0k3n/",
    DFA_OUTPUT_CLUSTER: "dfa-0123abcd",
    DFA_OUTPUT_TOKEN: "t0k3n",
    DFA_OUTPUT_JOB: "j0b",
    DFA_OUTPUT_KEY: SIGNING_KEY.toString("hex"),
    AWS_REGION: "eu-west-1",
    AWS_CONTAINER_CREDENTIALS_FULL_URI: `${endpoint}/v2/credentials/task-1`,
    AWS_CONTAINER_AUTHORIZATION_TOKEN: "auth-token",
    AWS_ENDPOINT_URL_S3: endpoint,
  });
  beforeAll(() => {
    outputDir = join(scratch, "out");
    mkdirSync(outputDir, { recursive: true });
  });

  test("a failing job (exit 3) still uploads every file, signed with the task role's credentials; the exit code stays 3", async () => {
    const aws = fakeAws({ s3Status: 200 });
    const endpoint = await listen(aws.server);
    try {
      const result = await runJob(
        env(endpoint),
        'mkdir -p "$DFA_OUTPUT_DIR/metrics" && printf "{\\"rmse\\": 0.5}" > "$DFA_OUTPUT_DIR/metrics/run 1.json" && printf model > "$DFA_OUTPUT_DIR/model.json"; exit 3',
      );
      expect(result.code).toBe(3);
      expect(result.stderr).toContain(
        "dask-fargate: uploaded 2 output file(s), 18 bytes, to s3://models/nightly/dfa-0123abcd/t0k3n/j0b/",
      );
      expect(aws.received.map((r) => [r.method, r.url])).toEqual([
        ["PUT", "/models/nightly/dfa-0123abcd/t0k3n/j0b/files/model.json"],
        ["PUT", "/models/nightly/dfa-0123abcd/t0k3n/j0b/files/metrics/run%201.json"],
        ["PUT", "/models/nightly/dfa-0123abcd/t0k3n/j0b/manifest.json"],
      ]);
      expect(aws.received.slice(0, 2).map((r) => r.body.toString())).toEqual(["model", '{"rmse": 0.5}']);
      // The manifest Python wrote verifies in TypeScript with the cluster's key, and lists each file's size and sha256.
      const manifest = verifyManifest(aws.received[2]?.body.toString() ?? "", SIGNING_KEY, {
        cluster: "dfa-0123abcd",
        token: "t0k3n",
        job: "j0b",
      });
      const sha = (text: string) => createHash("sha256").update(text).digest("hex");
      expect(manifest.files).toEqual([
        { path: "model.json", size: 5, sha256: sha("model") },
        { path: "metrics/run 1.json", size: 13, sha256: sha('{"rmse": 0.5}') },
      ]);
      expect(() =>
        verifyManifest(aws.received[2]?.body.toString() ?? "", Buffer.alloc(32, 7), {
          cluster: "dfa-0123abcd",
          token: "t0k3n",
          job: "j0b",
        }),
      ).toThrow(/does not verify with this cluster's key/);
      // The AWS SDK's signer, given the same request, credentials and time, computes the same Authorization header.
      const credentials = {
        accessKeyId: aws.credentials.AccessKeyId,
        secretAccessKey: aws.credentials.SecretAccessKey,
        sessionToken: aws.credentials.Token,
      };
      const signer = new SignatureV4({
        service: "s3",
        region: "eu-west-1",
        credentials,
        sha256: NodeSha256,
        uriEscapePath: false,
        applyChecksum: false,
      });
      for (const request of aws.received) {
        expect(request.headers["x-amz-security-token"]).toBe(aws.credentials.Token);
        expect(request.headers["content-type"]).toBe("application/octet-stream");
        const url = new URL(request.url, endpoint);
        const signed = await signer.sign(
          {
            method: request.method,
            protocol: "http:",
            hostname: url.hostname,
            port: Number(url.port),
            path: url.pathname,
            query: {},
            headers: Object.fromEntries(
              [
                "host",
                "content-length",
                "content-type",
                "x-amz-content-sha256",
                "x-amz-date",
                "x-amz-security-token",
              ].map((h) => [h, String(request.headers[h])]),
            ),
            body: request.body,
          },
          { signingDate: parseAmzDate(String(request.headers["x-amz-date"])) },
        );
        expect(request.headers.authorization).toBe(signed.headers["authorization"]?.replaceAll(", ", ","));
        expect(request.headers["x-amz-content-sha256"]).toBe(createHash("sha256").update(request.body).digest("hex"));
      }
    } finally {
      aws.server.close();
    }
  });

  test("an upload that fails is reported and does not hide the job's exit code (0 stays 0, 3 stays 3)", async () => {
    const aws = fakeAws({ s3Status: 403 });
    const endpoint = await listen(aws.server);
    try {
      const ok = await runJob(env(endpoint), 'printf model > "$DFA_OUTPUT_DIR/model.json"');
      expect(ok.code).toBe(0);
      // S3's XML error comes out as its code on the same line (the line is what the run's message quotes).
      expect(ok.stderr).toContain(
        "dask-fargate: could not upload nightly/dfa-0123abcd/t0k3n/j0b/files/model.json: HTTP 403: AccessDenied\n",
      );
      expect(ok.stderr).toContain("the job outputs were not all uploaded (the job's exit code 0 is kept)");
      const failed = await runJob({ ...env(endpoint), AWS_CONTAINER_AUTHORIZATION_TOKEN: "wrong" }, "exit 3");
      expect(failed.code).toBe(3);
      expect(failed.stderr).toContain("cannot upload the job outputs: HTTP Error 403");
    } finally {
      aws.server.close();
    }
  });
});

describe("odd names end to end: the real uploader's objects, then the runner's download", () => {
  test("run\\notes.txt, a newline, a non-UTF-8 name and a link: each is delivered or skipped alone; the key never reaches the job", async () => {
    const aws = fakeAws({ s3Status: 200 });
    const endpoint = await listen(aws.server);
    const jobDir = join(scratch, "odd-out");
    mkdirSync(jobDir, { recursive: true });
    try {
      const result = await runJob(
        {
          DFA_OUTPUT_DIR: jobDir,
          DFA_OUTPUT_BUCKET: "models",
          DFA_OUTPUT_PREFIX: "nightly/dfa-0123abcd/t0k3n/",
          DFA_OUTPUT_CLUSTER: "dfa-0123abcd",
          DFA_OUTPUT_TOKEN: "t0k3n",
          DFA_OUTPUT_JOB: "j0b",
          DFA_OUTPUT_KEY: SIGNING_KEY.toString("hex"),
          AWS_REGION: "eu-west-1",
          AWS_CONTAINER_CREDENTIALS_FULL_URI: `${endpoint}/v2/credentials/task-1`,
          AWS_CONTAINER_AUTHORIZATION_TOKEN: "auth-token",
          AWS_ENDPOINT_URL_S3: endpoint,
        },
        [
          'cd "$DFA_OUTPUT_DIR"',
          "printf a > 'run\\notes.txt'",
          "printf b > \"$(printf 'line\\nbreak.txt')\"",
          "printf c > \"$(printf 'bad\\377.txt')\"",
          "printf model > model.json",
          "ln -s /etc/hostname link.txt",
          // The job's own environment has no signing key (it moved to a 0600 file first).
          // (The key's hex is split in two here: this command itself is in the environment, as DFA_JOB_COMMAND.)
          `env | grep -c -e '^DFA_OUTPUT_KEY=' -e "$(printf %s ${SIGNING_KEY.toString("hex").slice(0, 32)} ${SIGNING_KEY.toString("hex").slice(32)})" > key-seen.txt; true`,
        ].join(" && "),
      );
      expect(result.code).toBe(0);
      const objects = new Map(
        aws.received.map((r) => [
          decodeURIComponent(new URL(r.url, endpoint).pathname.replace(/^\/models\//, "")),
          r.body,
        ]),
      );
      const download = join(scratch, "odd-download");
      const outputs = await downloadJobOutputs(
        memoryS3(objects),
        {
          bucket: "models",
          jobPrefix: "nightly/dfa-0123abcd/t0k3n/j0b/",
          expected: { cluster: "dfa-0123abcd", token: "t0k3n", job: "j0b" },
          key: SIGNING_KEY,
        },
        download,
      );
      expect(outputs.files.map((f) => f.path)).toEqual(["key-seen.txt", "model.json", "run\\notes.txt"]);
      expect(readFileSync(join(download, "key-seen.txt"), "utf8").trim()).toBe("0");
      expect(readFileSync(join(download, "run\\notes.txt"), "utf8")).toBe("a");
      expect(outputs.skipped?.map((s) => [s.path, s.reason])).toEqual([
        ["bad\ufffd.txt", "the job task did not upload it: its name is not UTF-8"],
        ["line\nbreak.txt", "it holds a control character (a newline, a tab, NUL)"],
      ]);
      expect(result.stderr).toContain('dask-fargate: could not upload "bad\\ufffd.txt": its name is not UTF-8');
    } finally {
      aws.server.close();
    }
  });
});
