/** What preflight found for one of its checks. */
export interface PreflightFinding {
  /** `image`, `subnets` (exist, one VPC), `network` (routes or endpoints) or `quota`. */
  readonly check: "image" | "subnets" | "network" | "quota";
  /** `ok`; `note` (could not be checked, or worth knowing; the start goes on); `refused` (the start stops). */
  readonly status: "ok" | "note" | "refused";
  readonly message: string;
  /** For a refusal: what to change. */
  readonly fix?: string;
}
