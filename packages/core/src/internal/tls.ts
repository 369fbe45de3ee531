import { createHash, generateKeyPairSync, type KeyObject, randomBytes, sign } from "node:crypto";
import { chmod, mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
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
 * Makes a CA for one cluster and signs a member and a client certificate with it (ECDSA P-256, SHA-256).
 * The CA's private key is dropped when this returns, so no further certificate can ever be signed:
 * only this cluster's members and this controller's clients can talk to each other. Dask checks the
 * chain both ways (mutual TLS) and not host names, so the certificates name no addresses.
 *
 * P-256 rather than RSA 2048: its key pairs take well under a millisecond where three RSA key pairs took
 * a third of a second of CPU, on the path of every start; OpenSSL has accepted it in TLS since 1.0.
 * The certificates carry key identifiers, so verifiers in strict mode (`X509_V_FLAG_X509_STRICT`, which
 * Python 3.13's `ssl.create_default_context` turns on) accept the chain.
 */
export function createClusterTls(clusterId: string, lifetimeSeconds: number, now: Date = new Date()): ClusterTls {
  const notAfter = new Date(now.getTime() + (lifetimeSeconds + 3600) * 1000);
  const notBefore = new Date(now.getTime() - 300_000); // tolerate clocks a few minutes behind
  const caKeys = keyPair();
  const caName = `dask-fargate-action ${clusterId} CA`;
  const caKeyId = keyIdentifier(caKeys.publicKey);
  const caPem = certificate({
    subject: caName,
    issuer: caName,
    publicKey: caKeys.publicKey,
    signingKey: caKeys.privateKey,
    notBefore,
    notAfter,
    extensions: [
      extension(OID.basicConstraints, true, seq(bool(true), int(Buffer.from([0])))),
      extension(OID.keyUsage, true, keyUsage(["keyCertSign", "cRLSign"])),
      extension(OID.subjectKeyIdentifier, false, octets(caKeyId)),
    ],
  });
  const identity = (role: string): TlsIdentity => {
    const keys = keyPair();
    const cert = certificate({
      subject: `dask-fargate-action ${clusterId} ${role}`,
      issuer: caName,
      publicKey: keys.publicKey,
      signingKey: caKeys.privateKey,
      notBefore,
      notAfter,
      extensions: [
        extension(OID.basicConstraints, false, seq()),
        extension(OID.keyUsage, true, keyUsage(["digitalSignature"])),
        extension(OID.extKeyUsage, false, seq(oid(OID.serverAuth), oid(OID.clientAuth))),
        extension(OID.subjectKeyIdentifier, false, octets(keyIdentifier(keys.publicKey))),
        extension(OID.authorityKeyIdentifier, false, seq(tlv(0x80, caKeyId))),
      ],
    });
    return { ca: caPem, cert, key: String(keys.privateKey.export({ type: "pkcs8", format: "pem" })) };
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
  await Promise.all([
    writeFile(paths.ca, identity.ca, { mode: 0o600 }),
    writeFile(paths.cert, identity.cert, { mode: 0o600 }),
    writeFile(paths.key, identity.key, { mode: 0o600 }),
  ]);
  return paths;
}

function keyPair(): { publicKey: KeyObject; privateKey: KeyObject } {
  return generateKeyPairSync("ec", { namedCurve: "P-256" });
}

/** Object identifiers used here (RFC 5280 §4.2.1, RFC 5758 §3.2 for ecdsa-with-SHA256). */
const OID = {
  commonName: "2.5.4.3",
  ecdsaWithSha256: "1.2.840.10045.4.3.2",
  subjectKeyIdentifier: "2.5.29.14",
  keyUsage: "2.5.29.15",
  basicConstraints: "2.5.29.19",
  authorityKeyIdentifier: "2.5.29.35",
  extKeyUsage: "2.5.29.37",
  serverAuth: "1.3.6.1.5.5.7.3.1",
  clientAuth: "1.3.6.1.5.5.7.3.2",
} as const;

interface CertificateRequest {
  readonly subject: string;
  readonly issuer: string;
  readonly publicKey: KeyObject;
  readonly signingKey: KeyObject;
  readonly notBefore: Date;
  readonly notAfter: Date;
  readonly extensions: readonly Buffer[];
}

/** An X.509 v3 certificate (RFC 5280 §4.1) in DER, signed with the issuer's key, as PEM. */
function certificate(request: CertificateRequest): string {
  const algorithm = seq(oid(OID.ecdsaWithSha256)); // parameters absent (RFC 5758 §3.2)
  const tbs = seq(
    tlv(0xa0, int(Buffer.from([2]))), // version v3
    // Positive 16-byte serial (RFC 5280 allows up to 20 octets).
    int(Buffer.concat([Buffer.from([1]), randomBytes(15)])),
    algorithm,
    name(request.issuer),
    seq(time(request.notBefore), time(request.notAfter)),
    name(request.subject),
    request.publicKey.export({ type: "spki", format: "der" }),
    tlv(0xa3, seq(...request.extensions)),
  );
  // Node signs ECDSA as the DER ECDSA-Sig-Value that X.509 expects.
  const signature = sign("sha256", tbs, request.signingKey);
  const der = seq(tbs, algorithm, bitString(signature));
  const base64 = der.toString("base64").replace(/.{1,64}/g, "$&\n");
  return `-----BEGIN CERTIFICATE-----\n${base64}-----END CERTIFICATE-----\n`;
}

/** A key identifier: SHA-256 of the DER SubjectPublicKeyInfo (RFC 7093 §2, method 4). */
function keyIdentifier(publicKey: KeyObject): Buffer {
  return createHash("sha256")
    .update(publicKey.export({ type: "spki", format: "der" }))
    .digest();
}

function extension(id: string, critical: boolean, value: Buffer): Buffer {
  return seq(oid(id), ...(critical ? [bool(true)] : []), octets(value));
}

/** KeyUsage as a DER named bit list: bit 0 first, trailing zero bits left out. */
function keyUsage(uses: readonly ("digitalSignature" | "keyCertSign" | "cRLSign")[]): Buffer {
  const bits = { digitalSignature: 0, keyCertSign: 5, cRLSign: 6 } as const;
  const highest = Math.max(...uses.map((u) => bits[u]));
  const byte = uses.reduce((value, use) => value | (0x80 >> bits[use]), 0);
  return tlv(0x03, Buffer.from([7 - highest, byte]));
}

function name(commonName: string): Buffer {
  return seq(tlv(0x31, seq(oid(OID.commonName), tlv(0x0c, Buffer.from(commonName, "utf8")))));
}

/** UTCTime through 2049, GeneralizedTime after (RFC 5280 §4.1.2.5). */
function time(date: Date): Buffer {
  const iso = date
    .toISOString()
    .replace(/[-:T]/g, "")
    .replace(/\.\d+Z$/, "Z"); // YYYYMMDDHHMMSSZ
  return date.getUTCFullYear() < 2050 ? tlv(0x17, Buffer.from(iso.slice(2), "ascii")) : tlv(0x18, Buffer.from(iso, "ascii"));
}

function seq(...items: Buffer[]): Buffer {
  return tlv(0x30, Buffer.concat(items));
}

function int(bigEndian: Buffer): Buffer {
  return tlv(0x02, bigEndian);
}

function bool(value: boolean): Buffer {
  return tlv(0x01, Buffer.from([value ? 0xff : 0]));
}

function octets(value: Buffer): Buffer {
  return tlv(0x04, value);
}

function bitString(value: Buffer): Buffer {
  return tlv(0x03, Buffer.concat([Buffer.from([0]), value]));
}

function oid(dotted: string): Buffer {
  const [first = 0, second = 0, ...rest] = dotted.split(".").map(Number);
  const base128 = (n: number): number[] => {
    const out = [n & 0x7f];
    for (let v = Math.floor(n / 128); v > 0; v = Math.floor(v / 128)) out.unshift((v & 0x7f) | 0x80);
    return out;
  };
  return tlv(0x06, Buffer.from([40 * first + second, ...rest.flatMap(base128)]));
}

/** One DER tag-length-value (definite lengths, short or long form). */
function tlv(tag: number, content: Buffer): Buffer {
  const n = content.length;
  const length = n < 0x80 ? [n] : n < 0x100 ? [0x81, n] : [0x82, n >> 8, n & 0xff];
  return Buffer.concat([Buffer.from([tag, ...length]), content]);
}
