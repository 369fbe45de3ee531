/**
 * Branded errors: `X.isInstance(e)` that holds when `e` comes from another copy of the module that defines `X`
 * (a bundle, two installed versions), where `instanceof` would say false. Each error class has a static `brand`
 * (a string); each instance keeps the brands of its class and of every ancestor under a key made with
 * `Symbol.for`, which is the same symbol in every copy. core and image both use it; neither depends on the other.
 *
 * ```ts
 * const BRANDS = Symbol.for("my-package.error.brands");
 * const hasBrand = brandChecker(BRANDS);
 * class MyError extends Error {
 *   static readonly brand: string = "MyError";
 *   readonly [BRANDS]: readonly string[] = brandsOf(this.constructor);
 *   // Called on a subclass, `this` is that subclass: each subclass declares only its `brand`.
 *   static isInstance<T extends abstract new (...args: never[]) => MyError>(this: T & { readonly brand: string }, error: unknown): error is InstanceType<T> {
 *     return hasBrand(error, this.brand);
 *   }
 * }
 * class MyOtherError extends MyError {
 *   static override readonly brand: string = "MyOtherError";
 * }
 * ```
 */

/** The `brand` of a class and of each of its ancestors, nearest first, each once: what an instance keeps. */
export function brandsOf(errorClass: unknown): string[] {
  const brands: string[] = [];
  for (
    let c = errorClass as { brand?: unknown } | null;
    c && typeof c.brand === "string";
    c = Object.getPrototypeOf(c)
  ) {
    if (!brands.includes(c.brand)) brands.push(c.brand);
  }
  return brands;
}

/**
 * The check for one family of errors (the key its instances keep their brands under): true when `error` was made
 * by the class branded `brand` or a subclass, even by another copy of that class's module.
 */
export function brandChecker(key: symbol): (error: unknown, brand: string) => boolean {
  return (error, brand) => {
    if (typeof error !== "object" || error === null) return false;
    const brands = (error as Record<symbol, unknown>)[key];
    return Array.isArray(brands) && brands.includes(brand);
  };
}
