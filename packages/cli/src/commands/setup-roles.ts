import {
  createAwsClients,
  perRepositoryPolicy,
  rolesCloudFormationTemplate,
  setupRoles,
} from "@dask-fargate-action/core";
import { jsonForTerminal } from "@dask-fargate-action/core/text";
import { settingsOf } from "../options.js";
import type { Command } from "./command.js";

/**
 * `setup-roles`: the one-time IAM setup, run by an administrator, after which the identity CI uses needs
 * only `iam:GetRole` and `iam:PassRole` (the README's default policy). `--print-cloudformation` prints the
 * same roles as a CloudFormation template instead of creating them; `--repository OWNER/NAME` prints the CI
 * identity's policy limited to that repository's clusters (for the administrator to attach), and creates nothing.
 */
export const setupRolesCommand: Command = async ({ flags, logger, print }) => {
  if (flags.repository !== undefined) {
    print(perRepositoryPolicy(flags.repository));
    return 0;
  }
  if (flags["print-cloudformation"]) {
    print(rolesCloudFormationTemplate(flags["output-uri"] !== undefined ? { outputUri: flags["output-uri"] } : {}));
    return 0;
  }
  const settings = settingsOf(flags);
  // IAM is global; the region only picks the STS and IAM endpoints.
  const clients = createAwsClients({ region: settings.region ?? "us-east-1" });
  const result = await setupRoles(clients, {
    logger,
    taskRolePolicyArns: settings.taskRolePolicyArns,
    ...(flags["permissions-boundary"] ? { permissionsBoundaryArn: flags["permissions-boundary"] } : {}),
    ...(flags["output-uri"] !== undefined ? { outputUri: flags["output-uri"] } : {}),
  });
  print(
    flags.json
      ? jsonForTerminal(result)
      : [
          result.changes.length > 0 ? result.changes.join("\n") : "the roles were already set up",
          `execution role: ${result.executionRoleArn}`,
          `task role:      ${result.taskRoleArn}`,
        ].join("\n"),
  );
  return 0;
};
