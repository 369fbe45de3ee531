import type { JobResult, MemberWatch, WorkerReplacement } from "./cluster.js";
import type { Logger } from "./logger.js";

/** A member that stopped during the job, as a keeper reports it. */
export interface LostMember {
  readonly member: string;
  readonly exitCode: number | undefined;
  readonly reason: string | undefined;
  readonly stopCode: string | undefined;
  /** Only workers are replaced: a lost scheduler is reported and ends the job through Dask. */
  readonly worker: boolean;
  /** Set when the member was stopped on purpose (see {@link stoppedOnPurpose}): recorded, never replaced. */
  readonly onPurpose?: string | undefined;
}

/**
 * Why a member that stopped was stopped on purpose, or undefined for a loss. A Dask worker exits with code 0 only
 * when the scheduler closes it (adaptive workers retire theirs that way, and the cluster's end closes them all);
 * ECS gives a task stopped through StopTask the stop code `UserInitiated` (API_Task.html, `stopCode`): our own
 * scale-down, or a person. A Spot reclaim sends SIGTERM, which a worker may also answer with 0, so its stop codes
 * always count as a loss.
 */
export function stoppedOnPurpose(stop: {
  readonly exitCode: number | undefined;
  readonly stopCode: string | undefined;
}): string | undefined {
  if (stop.stopCode === "UserInitiated") return "stopped with StopTask";
  if (stop.exitCode === 0 && stop.stopCode !== "SpotInterruption" && stop.stopCode !== "TerminationNotice")
    return "exited with code 0: the scheduler closed it";
  return undefined;
}

/**
 * The bookkeeping every backend's keeper shares: what stopped, what replaced it and the limit
 * (`max-worker-replacements`). A backend finds the lost members and starts their replacements; this decides
 * whether a replacement may start and keeps the record the job result, the summary and the cost read.
 */
export class ReplacementLedger {
  readonly stopped: { member: string; exitCode: number | undefined; reason?: string | undefined }[] = [];
  readonly replacements: WorkerReplacement[] = [];
  readonly unreplaced: string[] = [];
  private granted = 0;

  constructor(
    readonly limit: number,
    private readonly logger: Logger,
  ) {}

  /**
   * Records a lost member; true when it is a worker that may be replaced now (the limit is not used up).
   * Hitting the limit is a warning: the job goes on with fewer workers.
   */
  lost(member: LostMember): boolean {
    this.stopped.push({ member: member.member, exitCode: member.exitCode, reason: member.reason });
    if (member.onPurpose) {
      this.logger.info(`${member.member} stopped on purpose (${member.onPurpose}); not replaced`);
      return false;
    }
    const why = [member.stopCode, member.reason].filter(Boolean).join(": ");
    this.logger.warn(
      `${member.member} stopped (exit code ${member.exitCode ?? "unknown"}${why ? `, ${why}` : ""}) while the job ran`,
    );
    if (!member.worker) return false;
    if (this.granted >= this.limit) {
      this.unreplaced.push(member.member);
      this.logger.warn(
        `${member.member} is not replaced: max-worker-replacements (${this.limit}) is used up; the job goes on with one worker fewer`,
      );
      return false;
    }
    this.granted++;
    return true;
  }

  /** A replacement that could not start gives its place back (a later loss may use it). */
  failed(member: string, error: unknown): void {
    this.granted--;
    this.logger.warn(`could not replace ${member}: ${error instanceof Error ? error.message : String(error)}`);
  }

  replaced(replacement: WorkerReplacement): void {
    this.replacements.push(replacement);
    const where = replacement.capacity ? ` on ${replacement.capacity}` : "";
    this.logger.warn(
      `replaced ${replacement.member} with ${replacement.replacement}${where} (${this.replacements.length}/${this.limit})`,
    );
  }

  /** The watch's view of the record, for {@link MemberWatch}. */
  watch(stop: () => void | Promise<void>): MemberWatch {
    return { stopped: this.stopped, replacements: this.replacements, unreplaced: this.unreplaced, stop };
  }
}

/** The parts of a job result a watch contributes: stopped members, replacements and those the limit left out. */
export function watchResult(watch: MemberWatch): Pick<JobResult, "stoppedMembers" | "replacements" | "unreplaced"> {
  return {
    stoppedMembers: [...watch.stopped],
    ...(watch.replacements && watch.replacements.length > 0 ? { replacements: [...watch.replacements] } : {}),
    ...(watch.unreplaced && watch.unreplaced.length > 0 ? { unreplaced: [...watch.unreplaced] } : {}),
  };
}
