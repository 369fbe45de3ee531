import {
  DeleteTaskDefinitionsCommand,
  DeregisterTaskDefinitionCommand,
  DescribeTaskDefinitionCommand,
  type ECSClient,
  paginateListTaskDefinitions,
  type TaskDefinitionStatus,
} from "@aws-sdk/client-ecs";
import type { Logger } from "../logger.js";
import { allItems } from "./aws-pages.js";
import { fargateNames } from "./fargate-names.js";
import { isOurs, type OwnershipScope, tagMap } from "./fargate-ownership.js";

/** DeleteTaskDefinitions takes at most 10 revisions per call (ECS API reference, DeleteTaskDefinitions). */
const DELETE_BATCH = 10;

/**
 * Removes the cluster's three task definition families (scheduler, worker, job): every revision tagged as
 * ours (the recorded ones, or all that are listed) is deregistered (ACTIVE → INACTIVE) and then deleted (INACTIVE → DELETE_IN_PROGRESS, gone once no
 * task uses it). Deregistering alone leaves INACTIVE revisions in the account for good — three a night for a
 * nightly run. INACTIVE revisions of an earlier, interrupted teardown are deleted as well. Returns what was
 * removed (`task definition family:revision`); `skip` is told about revisions that are not ours. A revision
 * ECS refuses to delete is a warning, not an error: an INACTIVE revision costs nothing and runs nothing, and
 * the rest of the teardown (security group, secret, cluster) must still happen; the next teardown retries it.
 */
export async function removeTaskDefinitions(
  ecs: ECSClient,
  scope: OwnershipScope,
  options: {
    readonly logger: Logger;
    readonly skip: (what: string, tags: Readonly<Record<string, string>>) => void;
    readonly recorded?: readonly string[] | undefined;
  },
): Promise<string[]> {
  const toDelete: string[] = [];
  for (const arn of await revisionsOf(ecs, scope.clusterId, options.recorded)) {
    const definition = await ecs
      .send(new DescribeTaskDefinitionCommand({ taskDefinition: arn, include: ["TAGS"] }))
      .catch((error: unknown) => {
        // A recorded revision an earlier teardown deleted: gone, as wanted.
        if (/unable to describe|not found|does not exist/i.test(error instanceof Error ? error.message : ""))
          return undefined;
        throw error;
      });
    if (!definition) continue;
    const tags = tagMap(definition.tags);
    if (!isOurs(tags, scope)) {
      options.skip(`task definition ${revisionOf(arn)}`, tags);
      continue;
    }
    const status = definition.taskDefinition?.status;
    if (status === "ACTIVE") await ecs.send(new DeregisterTaskDefinitionCommand({ taskDefinition: arn }));
    if (status === "ACTIVE" || status === "INACTIVE") toDelete.push(arn);
  }
  const notDeleted = new Set<string>();
  for (let i = 0; i < toDelete.length; i += DELETE_BATCH) {
    const answer = await ecs.send(
      new DeleteTaskDefinitionsCommand({ taskDefinitions: toDelete.slice(i, i + DELETE_BATCH) }),
    );
    for (const failure of answer.failures ?? []) {
      const arn = failure.arn ?? "?";
      // Deleted meanwhile (a concurrent teardown): gone, as wanted.
      if (/does not exist/i.test(`${failure.reason ?? ""} ${failure.detail ?? ""}`)) continue;
      notDeleted.add(arn);
      options.logger.warn(
        `task definition ${revisionOf(arn)} was deregistered but ECS did not delete it (${failure.reason ?? failure.detail ?? "no reason given"}); ` +
          "run the teardown again, or delete it in the ECS console",
      );
    }
  }
  return toDelete.filter((arn) => !notDeleted.has(arn)).map((arn) => `task definition ${revisionOf(arn)}`);
}

/**
 * The cluster's revisions: the recorded ones when the record holds one per family (a cluster registers each
 * family once, so there are no others), else every ACTIVE and INACTIVE revision of the three families.
 */
async function revisionsOf(
  ecs: ECSClient,
  clusterId: string,
  recorded: readonly string[] | undefined,
): Promise<string[]> {
  const roles = ["scheduler", "worker", "job"] as const;
  const families = roles.map((role) => fargateNames.family(clusterId, role));
  const byFamily = families.map((family) =>
    (recorded ?? []).filter((arn) => arn.includes(`:task-definition/${family}:`)),
  );
  if (byFamily.every((arns) => arns.length === 1)) return byFamily.flat();
  const found: string[] = [];
  for (const family of families) {
    // Both lists first: a revision deregistered here must not be seen again as INACTIVE.
    found.push(...(await listFamily(ecs, family, "ACTIVE")), ...(await listFamily(ecs, family, "INACTIVE")));
  }
  return found;
}

/** The revisions of exactly `family` with this status, every page (on AWS `familyPrefix` matches a prefix). */
async function listFamily(ecs: ECSClient, family: string, status: TaskDefinitionStatus): Promise<string[]> {
  const arns = await allItems(
    paginateListTaskDefinitions({ client: ecs }, { familyPrefix: family, status }),
    (page) => page.taskDefinitionArns,
  );
  return arns.filter((arn) => arn.includes(`:task-definition/${family}:`));
}

const revisionOf = (arn: string) => arn.split("/").pop() ?? arn;
