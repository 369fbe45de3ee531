// Values that core's integration global setup provides (core, cli and action integration tests use it).
declare module "vitest" {
  export interface ProvidedContext {
    daskImage: string;
    motoEndpoint: string;
  }
}

export {};
