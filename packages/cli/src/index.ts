/** @packageDocumentation The dask-fargate command line; its entry point is `dist/main.js`. */
export { HELP } from "./help.js";
export { listRecords, loadRecord, stateDirOf } from "./state-file.js";
