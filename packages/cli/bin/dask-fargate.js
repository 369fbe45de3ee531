#!/usr/bin/env node
// The dask-fargate bin. It lives outside dist/ so that npm links it into node_modules/.bin at npm ci,
// before the build has made dist/ (npm skips a bin whose file does not exist yet).
import "../dist/main.js";
