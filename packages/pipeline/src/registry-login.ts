import { isEcrRegistry, parseImageReference, type RegistryCredentials } from "@dask-fargate-action/image";

/**
 * The credentials for the image's registry, the same for the CLI and the action: a user name and password
 * when both are given (Docker Hub, GHCR, any v2 registry), else ECR's token through the AWS credentials when
 * the image is in ECR, else none (anonymous, or a registry that needs no login).
 */
export function registryCredentialsFor(
  image: string | undefined,
  login: { readonly username?: string | undefined; readonly password?: string | undefined },
): RegistryCredentials | undefined {
  if (login.username && login.password) return { kind: "basic", username: login.username, password: login.password };
  if (image && isEcrRegistry(parseImageReference(image, "image").registry)) return { kind: "ecr" };
  return undefined;
}
