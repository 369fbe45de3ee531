/**
 * The generator's version. It is part of every content hash, so a new value rebuilds every user's image: it moves
 * only when what the generator renders changes (a test pins the rendered output to it), not with each release.
 */
export const GENERATOR_VERSION = "0.1.0";
/** The generator's name as written into image labels. */
export const GENERATOR_NAME = "dask-fargate-action/image";
