/** What preflight found for one of its checks. */
export interface PreflightFinding {
  /** `image`, `subnets` (exist, one VPC), `network` (routes or endpoints), `security-groups` (a user's own: the self rule) or `quota`. */
  readonly check: "image" | "subnets" | "network" | "security-groups" | "quota";
  /** `ok`; `note` (could not be checked, or worth knowing; the start goes on); `refused` (the start stops). */
  readonly status: "ok" | "note" | "refused";
  readonly message: string;
  /** For a refusal: what to change. */
  readonly fix?: string;
}
