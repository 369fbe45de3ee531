/** What preflight found for one of its checks. */
export interface PreflightFinding {
  /** `image`, `subnets` (exist, one VPC), `network` (routes or endpoints), `quota` or `security-groups` (the user's own, with TLS off). */
  readonly check: "image" | "subnets" | "network" | "quota" | "security-groups";
  /** `ok`; `note` (could not be checked, or worth knowing; the start goes on); `refused` (the start stops). */
  readonly status: "ok" | "note" | "refused";
  readonly message: string;
  /** For a refusal: what to change. */
  readonly fix?: string;
}
