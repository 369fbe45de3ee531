// Values that the testkit's global setup (global-setup.ts) provides to the integration tests of core, pipeline, cli and action.
// Their tsconfig names this file in "types".
declare module "vitest" {
  export interface ProvidedContext {
    daskImage: string;
    motoEndpoint: string;
  }
}

export {};
