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
 * ours is deregistered (ACTIVE → INACTIVE) and then deleted (INACTIVE → DELETE_IN_PROGRESS, gone once no
 * task uses it). Deregistering alone leaves INACTIVE revisions in the account for good — three a night for a
 * nightly run. INACTIVE revisions of an earlier, interrupted teardown are deleted as well. Returns what was
 * removed (`task definition family:revision`); `skip` is told about revisions that are not ours. A revision
 * ECS refuses to delete is a warning, not an error: an INACTIVE revision costs nothing and runs nothing, and
 * the rest of the teardown (security group, secret, cluster) must still happen; the next teardown retries it.
 */
export async function removeTaskDefinitions(
  ecs: ECSClient,
  scope: OwnershipScope,
  options: { readonly logger: Logger; readonly skip: (what: string) => void },
): Promise<string[]> {
  const toDelete: string[] = [];
  for (const role of ["scheduler", "worker", "job"] as const) {
    const family = fargateNames.family(scope.clusterId, role);
    // Both lists first: a revision deregistered here must not be seen again as INACTIVE.
    const active = await listFamily(ecs, family, "ACTIVE");
    const inactive = await listFamily(ecs, family, "INACTIVE");
    for (const arn of [...active, ...inactive]) {
      const definition = await ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: arn, include: ["TAGS"] }));
      if (!isOurs(tagMap(definition.tags), scope)) {
        options.skip(`task definition ${revisionOf(arn)}`);
        continue;
      }
      if (active.includes(arn)) await ecs.send(new DeregisterTaskDefinitionCommand({ taskDefinition: arn }));
      toDelete.push(arn);
    }
  }
  const notDeleted = new Set<string>();
  for (let i = 0; i < toDelete.length; i += DELETE_BATCH) {
    const answer = await ecs.send(new DeleteTaskDefinitionsCommand({ taskDefinitions: toDelete.slice(i, i + DELETE_BATCH) }));
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

/** The revisions of exactly `family` with this status, every page (on AWS `familyPrefix` matches a prefix). */
async function listFamily(ecs: ECSClient, family: string, status: TaskDefinitionStatus): Promise<string[]> {
  const arns = await allItems(paginateListTaskDefinitions({ client: ecs }, { familyPrefix: family, status }), (page) => page.taskDefinitionArns);
  return arns.filter((arn) => arn.includes(`:task-definition/${family}:`));
}

const revisionOf = (arn: string) => arn.split("/").pop() ?? arn;
