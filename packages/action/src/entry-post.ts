import "./cjs-globals.js";
import { post } from "./post.js";

await post();
