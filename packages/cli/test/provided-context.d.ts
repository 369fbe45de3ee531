// Values that core's integration global setup (used by this package's integration config) provides.
declare module "vitest" {
  export interface ProvidedContext {
    daskImage: string;
    motoEndpoint: string;
  }
}

export {};
