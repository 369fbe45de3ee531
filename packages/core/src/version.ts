/** This package's version, as in its package.json (a test keeps them equal; the action bundle has no package.json to read). */
export const CORE_VERSION = "0.1.0";
