// @peculiar/x509 resolves its algorithms through tsyringe, which needs the Reflect metadata API loaded first (its README).
import "reflect-metadata";
import { createHash, KeyObject, randomBytes, webcrypto } from "node:crypto";
import { chmod, mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import {
  AuthorityKeyIdentifierExtension,
  BasicConstraintsExtension,
  ExtendedKeyUsage,
  ExtendedKeyUsageExtension,
  type Extension,
  KeyUsageFlags,
  KeyUsagesExtension,
  Name,
  SubjectKeyIdentifierExtension,
  X509CertificateGenerator,
} from "@peculiar/x509";
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

const { subtle } = webcrypto;
const EC_P256 = { name: "ECDSA", namedCurve: "P-256" } as const;
const SIGNING = { name: "ECDSA", hash: "SHA-256" } as const;

/**
 * Makes a CA for one cluster and signs a member and a client certificate with it (ECDSA P-256, SHA-256).
 * The CA's private key is never extractable and is dropped when this returns, so no further certificate
 * can ever be signed: only this cluster's members and this controller's clients can talk to each other.
 * Dask checks the chain both ways (mutual TLS) and not host names, so the certificates name no addresses.
 *
 * P-256 rather than RSA 2048: its key pairs take well under a millisecond where three RSA key pairs took
 * a third of a second of CPU, on the path of every start; OpenSSL has accepted it in TLS since 1.0.
 * The certificates carry key identifiers, so verifiers in strict mode (`X509_V_FLAG_X509_STRICT`, which
 * Python 3.13's `ssl.create_default_context` turns on) accept the chain. The certificates are built and
 * signed by `@peculiar/x509` with Node's WebCrypto: about 15 ms a cluster (the first call in a process about 50 ms more).
 */
export async function createClusterTls(
  clusterId: string,
  lifetimeSeconds: number,
  now: Date = new Date(),
): Promise<ClusterTls> {
  const notAfter = new Date(now.getTime() + (lifetimeSeconds + 3600) * 1000);
  const notBefore = new Date(now.getTime() - 300_000); // tolerate clocks a few minutes behind
  const [caKeys, memberKeys, clientKeys] = await Promise.all([
    subtle.generateKey(EC_P256, false, ["sign", "verify"]),
    subtle.generateKey(EC_P256, true, ["sign", "verify"]),
    subtle.generateKey(EC_P256, true, ["sign", "verify"]),
  ]);
  const caName = commonName(`dask-fargate-action ${clusterId} CA`);
  const caKeyId = keyIdentifier(caKeys.publicKey);
  const signedByCa = { notBefore, notAfter, signingAlgorithm: SIGNING, signingKey: caKeys.privateKey, issuer: caName };
  const ca = await X509CertificateGenerator.create({
    ...signedByCa,
    serialNumber: serialNumber(),
    subject: caName,
    publicKey: caKeys.publicKey,
    extensions: [
      new BasicConstraintsExtension(true, 0, true),
      new KeyUsagesExtension(KeyUsageFlags.keyCertSign | KeyUsageFlags.cRLSign, true),
      new SubjectKeyIdentifierExtension(caKeyId, false),
    ],
  });
  const caPem = pem(ca.toString("pem"));
  const identity = async (role: string, keys: webcrypto.CryptoKeyPair): Promise<TlsIdentity> => {
    const extensions: Extension[] = [
      new BasicConstraintsExtension(false, undefined, false),
      new KeyUsagesExtension(KeyUsageFlags.digitalSignature, true),
      new ExtendedKeyUsageExtension([ExtendedKeyUsage.serverAuth, ExtendedKeyUsage.clientAuth], false),
      new SubjectKeyIdentifierExtension(keyIdentifier(keys.publicKey), false),
      new AuthorityKeyIdentifierExtension(caKeyId, false),
    ];
    const cert = await X509CertificateGenerator.create({
      ...signedByCa,
      serialNumber: serialNumber(),
      subject: commonName(`dask-fargate-action ${clusterId} ${role}`),
      publicKey: keys.publicKey,
      extensions,
    });
    const key = KeyObject.from(keys.privateKey).export({ type: "pkcs8", format: "pem" });
    return { ca: caPem, cert: pem(cert.toString("pem")), key: String(key) };
  };
  const [member, client] = await Promise.all([identity("member", memberKeys), identity("client", clientKeys)]);
  return { member, client };
}

/** Reads an identity back from files written by {@link writeTlsFiles}. */
export async function readTlsFiles(files: TlsFiles): Promise<TlsIdentity> {
  const [ca, cert, key] = await Promise.all([
    readFile(files.ca, "utf8"),
    readFile(files.cert, "utf8"),
    readFile(files.key, "utf8"),
  ]);
  return { ca, cert, key };
}

/** Writes an identity to `dir` under the same file names as in every container (TLS_FILES), mode 0600 (directory 0700), and returns the paths. */
export async function writeTlsFiles(dir: string, identity: TlsIdentity): Promise<TlsFiles> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  await chmod(dir, 0o700);
  const paths = { ca: join(dir, TLS_FILES.ca), cert: join(dir, TLS_FILES.cert), key: join(dir, TLS_FILES.key) };
  await Promise.all([
    writeFile(paths.ca, identity.ca, { mode: 0o600 }),
    writeFile(paths.cert, identity.cert, { mode: 0o600 }),
    writeFile(paths.key, identity.key, { mode: 0o600 }),
  ]);
  return paths;
}

/** A positive 16-byte serial number, random (RFC 5280 §4.1.2.2 allows up to 20 octets). */
function serialNumber(): string {
  return `01${randomBytes(15).toString("hex")}`;
}

/** A key identifier, as hex: SHA-256 of the DER SubjectPublicKeyInfo (RFC 7093 §2, method 4). */
function keyIdentifier(publicKey: webcrypto.CryptoKey): string {
  return createHash("sha256")
    .update(KeyObject.from(publicKey).export({ type: "spki", format: "der" }))
    .digest("hex");
}

/** A name of one common name, a UTF8String (RFC 5280 §4.1.2.6). */
function commonName(value: string): Name {
  return new Name([{ CN: [{ utf8String: value }] }]);
}

/** PEM ending with a newline, as OpenSSL writes it. */
function pem(text: string): string {
  return text.endsWith("\n") ? text : `${text}\n`;
}
