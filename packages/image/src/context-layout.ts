/** Where generated files sit in the build context and in the image during the build. */
export const CONTEXT_FILES = {
  dockerfile: "Dockerfile",
  condaEnvironment: "conda-environment.yml",
  condaExplicit: "conda-explicit.txt",
  requirements: "requirements.txt",
  localDir: "local",
} as const;

/** Directory inside the image where the build puts generated files; each RUN that reads it removes it (render-dockerfile.ts). */
export const BUILD_DIR = "/tmp/dask-fargate-build";
