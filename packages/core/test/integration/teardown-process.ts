/**
 * Tears a Fargate cluster down from a serialised handle in a process of its own, as a post step or a
 * later `down` would. Usage: tsx teardown-process.ts HANDLE.json (AWS_ENDPOINT_URL etc. from the env).
 */
import { readFile } from "node:fs/promises";
import { type ClusterHandle, createAwsClients, downFargateCluster } from "../../src/index.js";

const handle = JSON.parse(await readFile(process.argv[2] ?? "", "utf8")) as ClusterHandle;
const clients = createAwsClients({ region: handle.fargate?.spec.region ?? "us-east-1" });
const report = await downFargateCluster(
  { clusterId: handle.clusterId, resources: handle.fargate },
  { clients, tlsDir: handle.tlsDir },
);
process.stdout.write(`${JSON.stringify(report)}\n`);
