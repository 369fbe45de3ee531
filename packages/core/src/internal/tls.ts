import { generateKeyPairSync, randomBytes } from "node:crypto";
import { chmod, mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import forge from "node-forge";
import type { TlsFiles } from "../cluster.js";
import { TLS_FILES } from "./dask-commands.js";

/** PEM files of one TLS identity: the cluster CA certificate, a certificate and its private key. */
export interface TlsIdentity {
  readonly ca: string;
  readonly cert: string;
  /** Secret: never logged, never put in container metadata. */
  readonly key: string;
}

/** The TLS material of one cluster: one identity for its members, one for clients. */
export interface ClusterTls {
  readonly member: TlsIdentity;
  readonly client: TlsIdentity;
}

/**
 * Makes a CA for one cluster and signs a member and a client certificate with it (RSA 2048, SHA-256).
 * The CA's private key is dropped when this returns, so no further certificate can ever be signed:
 * only this cluster's members and this controller's clients can talk to each other. Dask checks the
 * chain both ways (mutual TLS) and not host names, so the certificates name no addresses.
 */
export function createClusterTls(clusterId: string, lifetimeSeconds: number, now: Date = new Date()): ClusterTls {
  const notAfter = new Date(now.getTime() + (lifetimeSeconds + 3600) * 1000);
  const notBefore = new Date(now.getTime() - 300_000); // tolerate clocks a few minutes behind
  const caKeys = keyPair();
  const caName = [{ name: "commonName", value: `dask-fargate-action ${clusterId} CA` }];
  const ca = certificate(caKeys.publicKey, caName, caName, notBefore, notAfter, [
    { name: "basicConstraints", cA: true, pathLenConstraint: 0, critical: true },
    { name: "keyUsage", keyCertSign: true, cRLSign: true, critical: true },
  ]);
  ca.sign(forge.pki.privateKeyFromPem(caKeys.privateKey), forge.md.sha256.create());
  const caPem = forge.pki.certificateToPem(ca);
  const identity = (role: string): TlsIdentity => {
    const keys = keyPair();
    const cert = certificate(keys.publicKey, [{ name: "commonName", value: `dask-fargate-action ${clusterId} ${role}` }], caName, notBefore, notAfter, [
      { name: "basicConstraints", cA: false },
      { name: "keyUsage", digitalSignature: true, keyEncipherment: true, critical: true },
      { name: "extKeyUsage", serverAuth: true, clientAuth: true },
    ]);
    cert.sign(forge.pki.privateKeyFromPem(caKeys.privateKey), forge.md.sha256.create());
    return { ca: caPem, cert: forge.pki.certificateToPem(cert), key: keys.privateKey };
  };
  return { member: identity("member"), client: identity("client") };
}

/** Reads an identity back from files written by {@link writeTlsFiles}. */
export async function readTlsFiles(files: TlsFiles): Promise<TlsIdentity> {
  const [ca, cert, key] = await Promise.all([readFile(files.ca, "utf8"), readFile(files.cert, "utf8"), readFile(files.key, "utf8")]);
  return { ca, cert, key };
}

/** Writes an identity to `dir` under the same file names as in every container (TLS_FILES), mode 0600 (directory 0700), and returns the paths. */
export async function writeTlsFiles(dir: string, identity: TlsIdentity): Promise<TlsFiles> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  await chmod(dir, 0o700);
  const paths = { ca: join(dir, TLS_FILES.ca), cert: join(dir, TLS_FILES.cert), key: join(dir, TLS_FILES.key) };
  await writeFile(paths.ca, identity.ca, { mode: 0o600 });
  await writeFile(paths.cert, identity.cert, { mode: 0o600 });
  await writeFile(paths.key, identity.key, { mode: 0o600 });
  return paths;
}

function keyPair(): { publicKey: string; privateKey: string } {
  return generateKeyPairSync("rsa", {
    modulusLength: 2048,
    publicKeyEncoding: { type: "spki", format: "pem" },
    privateKeyEncoding: { type: "pkcs8", format: "pem" },
  });
}

function certificate(
  publicKeyPem: string,
  subject: forge.pki.CertificateField[],
  issuer: forge.pki.CertificateField[],
  notBefore: Date,
  notAfter: Date,
  extensions: object[],
): forge.pki.Certificate {
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.publicKeyFromPem(publicKeyPem);
  // Positive 16-byte serial (RFC 5280 allows up to 20 octets).
  cert.serialNumber = `01${randomBytes(15).toString("hex")}`;
  cert.validity.notBefore = notBefore;
  cert.validity.notAfter = notAfter;
  cert.setSubject(subject);
  cert.setIssuer(issuer);
  cert.setExtensions(extensions);
  return cert;
}
