import type { Logger as CoreLogger } from "@dask-fargate-action/core";
import type { Logger as ImageLogger } from "@dask-fargate-action/image";
import { expectTypeOf, test } from "vitest";

// Core and image each define Logger (neither package depends on the other); they must stay one shape so that the
// CLI, the action and the pipeline hand the same logger to both. Checked by the type checker (npm run typecheck).
test("core's and image's Logger are the same shape", () => {
  expectTypeOf<CoreLogger>().toEqualTypeOf<ImageLogger>();
});
