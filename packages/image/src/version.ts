/** The generator's version; it is part of every content hash, so a new generator rebuilds images. Kept equal to package.json by a test. */
export const GENERATOR_VERSION = "0.1.0";
/** The generator's name as written into image labels. */
export const GENERATOR_NAME = "dask-fargate-action/image";
