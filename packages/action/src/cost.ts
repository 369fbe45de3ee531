// The prices and the estimate live in core, shared with the CLI's plan and up.
export { type CostEstimate, estimateFargateCost, FARGATE_PRICES } from "@dask-fargate-action/core";
