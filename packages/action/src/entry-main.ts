import "./cjs-globals.js";
import { main } from "./main.js";

await main();
