import {
  chmodSync,
  chownSync,
  copyFileSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TlsFiles } from "./cluster.js";
import { ClusterConfigError } from "./errors.js";

/** A user a job on the runner runs as: another uid than the controller's, so it cannot read the controller's environment. */
export interface JobUser {
  readonly name: string;
  readonly uid: number;
  readonly gid: number;
}

/**
 * Resolves `job-user` (a user name from /etc/passwd, a uid, or `uid:gid`). Switching users needs root: Linux lets a
 * process read another's /proc/PID/environ only with ptrace access (the same uid, or CAP_SYS_PTRACE; proc(5)),
 * so a job run as another, unprivileged uid cannot read the action's tokens there.
 */
export function resolveJobUser(
  value: string,
  field = "job-user",
  passwd = () => readFileSync("/etc/passwd", "utf8"),
): JobUser {
  const trimmed = value.trim();
  const numeric = /^(\d+)(?::(\d+))?$/.exec(trimmed);
  let user: JobUser | undefined;
  if (numeric) user = { name: trimmed, uid: Number(numeric[1]), gid: Number(numeric[2] ?? numeric[1]) };
  else if (/^[a-z_][a-z0-9_-]*\$?$/i.test(trimmed)) {
    const line = passwd()
      .split("\n")
      .find((l) => l.split(":")[0] === trimmed);
    const [, , uid, gid] = line?.split(":") ?? [];
    if (uid !== undefined && gid !== undefined) user = { name: trimmed, uid: Number(uid), gid: Number(gid) };
    else
      throw new ClusterConfigError(
        field,
        `there is no user "${trimmed}" on this machine (/etc/passwd); give an existing user, e.g. nobody, or uid:gid`,
      );
  }
  if (!user)
    throw new ClusterConfigError(field, `"${value}" is neither a user name nor uid[:gid]; e.g. nobody or 65534:65534`);
  if (user.uid === 0)
    throw new ClusterConfigError(field, `${user.name} is root: the job must run as an unprivileged user, e.g. nobody`);
  const own = process.getuid?.();
  if (own !== 0)
    throw new ClusterConfigError(
      field,
      `running the job as ${user.name} needs this process to run as root (it runs as uid ${own ?? "unknown"}); leave ${field} unset, or run the job in the cluster (job-runs-on: cluster) for code you do not trust`,
    );
  return user;
}

/** What a job under another user needs besides its uid: a home of its own, its copy of the client TLS files. */
export interface JobUserHome {
  readonly home: string;
  readonly tls: TlsFiles | undefined;
  remove(): void;
}

/**
 * A private home (mode 0700, the job user's) holding a copy of the client TLS files, which stay the controller's
 * (mode 0600) where they are. The job's output directory is given to the user for the run ({@link lendOutputDir}).
 */
export function jobUserHome(user: JobUser, tls: TlsFiles | undefined): JobUserHome {
  const home = mkdtempSync(join(tmpdir(), "dfa-job-home-"));
  let copied: TlsFiles | undefined;
  if (tls) {
    const dir = join(home, "tls");
    mkdirSync(dir, { mode: 0o700 });
    copied = { ca: join(dir, "ca.pem"), cert: join(dir, "cert.pem"), key: join(dir, "key.pem") };
    for (const name of ["ca", "cert", "key"] as const) copyFileSync(tls[name], copied[name]);
  }
  giveTree(home, user.uid, user.gid);
  chmodSync(home, 0o700);
  return { home, tls: copied, remove: () => rmSync(home, { recursive: true, force: true }) };
}

/** Gives the output directory's tree to the job user for the run; the returned function gives it back. */
export function lendOutputDir(dir: string, user: JobUser): () => void {
  const owner = { uid: lstatSync(dir).uid, gid: lstatSync(dir).gid };
  giveTree(dir, user.uid, user.gid);
  return () => giveTree(dir, owner.uid, owner.gid);
}

/** chown -R without following links (lchown). */
function giveTree(path: string, uid: number, gid: number): void {
  const stat = lstatSync(path);
  if (stat.isDirectory()) for (const name of readdirSync(path)) giveTree(join(path, name), uid, gid);
  if (stat.isSymbolicLink()) return;
  chownSync(path, uid, gid);
}
