import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";

/**
 * A test-only check of the emulator's own answers against AWS's service models: the models botocore ships
 * (installed for python3 with moto), read where botocore is, nothing copied. `validateJson` / `validateXml`
 * return the problems of an answer to an operation: a required member missing, a member the model does not
 * know, a wrong type, a value outside an enum. An empty list means the answer fits the model.
 */

interface Member {
  readonly shape: string;
  readonly locationName?: string;
}

interface Shape {
  readonly type: string;
  readonly members?: Readonly<Record<string, Member>>;
  readonly required?: readonly string[];
  readonly member?: Member;
  readonly key?: Member;
  readonly value?: Member;
  readonly enum?: readonly string[];
  readonly exception?: boolean;
  readonly error?: { readonly code?: string };
}

/** One service's model: its operations and shapes. */
export interface ServiceModel {
  readonly metadata: { readonly protocol: string; readonly targetPrefix?: string; readonly apiVersion: string };
  readonly operations: Readonly<
    Record<
      string,
      { readonly output?: { readonly shape: string }; readonly errors?: readonly { readonly shape: string }[] }
    >
  >;
  readonly shapes: Readonly<Record<string, Shape>>;
}

let botocoreDir: string | undefined;

/** botocore's directory, asked of the python3 that has moto. */
function botocore(): string {
  botocoreDir ??= execFileSync("python3", ["-c", "import botocore, os; print(os.path.dirname(botocore.__file__))"], {
    encoding: "utf8",
  }).trim();
  return botocoreDir;
}

const models = new Map<string, ServiceModel>();

/** The newest model of a service (`ecs`, `ec2`, `service-quotas`, ...), gzipped or not. */
export function loadModel(service: string): ServiceModel {
  const cached = models.get(service);
  if (cached) return cached;
  const dir = join(botocore(), "data", service);
  const version = readdirSync(dir).sort().at(-1) ?? "";
  const plain = join(dir, version, "service-2.json");
  const text = existsSync(plain)
    ? readFileSync(plain, "utf8")
    : gunzipSync(readFileSync(`${plain}.gz`)).toString("utf8");
  const model = JSON.parse(text) as ServiceModel;
  models.set(service, model);
  return model;
}

/** The names of the error shapes an operation declares. */
export function operationErrors(model: ServiceModel, operation: string): string[] {
  return (model.operations[operation]?.errors ?? []).map((e) => e.shape);
}

/** The error code an error shape is sent with (`error.code`, else its name), as a query API's `<Code>`. */
export function errorCode(model: ServiceModel, shape: string): string {
  return model.shapes[shape]?.error?.code ?? shape;
}

/** Problems of a JSON 1.1 answer (`value`, parsed) to `operation`: timestamps are epoch seconds (numbers). */
export function validateJson(model: ServiceModel, operation: string, value: unknown): string[] {
  const op = model.operations[operation];
  if (!op) return [`${operation} is not an operation of the model`];
  if (!op.output)
    return value === undefined || (typeof value === "object" && value !== null && Object.keys(value).length === 0)
      ? []
      : ["the model has no output"];
  const problems: string[] = [];
  checkJson(model, op.output.shape, value, operation, problems);
  return problems;
}

function checkJson(model: ServiceModel, name: string, value: unknown, path: string, problems: string[]): void {
  const shape = model.shapes[name];
  if (!shape) return void problems.push(`${path}: the model has no shape ${name}`);
  const fail = (what: string) =>
    problems.push(`${path}: ${what} (shape ${name}, ${shape.type}), got ${JSON.stringify(value)?.slice(0, 80)}`);
  switch (shape.type) {
    case "structure": {
      if (typeof value !== "object" || value === null || Array.isArray(value)) return void fail("an object");
      const record = value as Record<string, unknown>;
      for (const key of shape.required ?? [])
        if (record[key] === undefined) problems.push(`${path}.${key}: required by ${name}, missing`);
      for (const [key, v] of Object.entries(record)) {
        const member = shape.members?.[key];
        if (!member) problems.push(`${path}.${key}: ${name} has no such member`);
        else if (v !== null) checkJson(model, member.shape, v, `${path}.${key}`, problems);
      }
      return;
    }
    case "list":
      if (!Array.isArray(value)) return void fail("an array");
      value.forEach((item, i) => {
        checkJson(model, shape.member?.shape ?? "", item, `${path}[${i}]`, problems);
      });
      return;
    case "map":
      if (typeof value !== "object" || value === null || Array.isArray(value)) return void fail("an object");
      for (const [k, v] of Object.entries(value)) {
        checkJson(model, shape.key?.shape ?? "", k, `${path} key`, problems);
        checkJson(model, shape.value?.shape ?? "", v, `${path}.${k}`, problems);
      }
      return;
    case "string":
      if (typeof value !== "string") return void fail("a string");
      if (shape.enum && !shape.enum.includes(value)) fail(`one of ${shape.enum.join(", ")}`);
      return;
    case "integer":
    case "long":
      if (typeof value !== "number" || !Number.isInteger(value)) fail("an integer");
      return;
    case "double":
    case "float":
      if (typeof value !== "number") fail("a number");
      return;
    case "boolean":
      if (typeof value !== "boolean") fail("a boolean");
      return;
    case "timestamp":
      // AWS JSON 1.1: epoch seconds, a number (fractions allowed).
      if (typeof value !== "number") fail("epoch seconds (a number)");
      return;
    case "blob":
      if (typeof value !== "string" || !/^[A-Za-z0-9+/]*={0,2}$/.test(value)) fail("base64 text");
      return;
    default:
      fail(`a type this check knows (${shape.type})`);
  }
}

/** An XML element: name, child elements, text. */
export interface XmlNode {
  readonly name: string;
  readonly children: XmlNode[];
  text: string;
}

/** Parses the XML the emulator writes (elements, text, character references; no CDATA, attributes ignored). */
export function parseXml(xml: string): XmlNode {
  const root: XmlNode = { name: "#document", children: [], text: "" };
  const stack: XmlNode[] = [root];
  const decode = (text: string) =>
    text
      .replace(/&#(\d+);/g, (_, n: string) => String.fromCharCode(Number(n)))
      .replace(/&lt;/g, "<")
      .replace(/&gt;/g, ">")
      .replace(/&quot;/g, '"')
      .replace(/&apos;/g, "'")
      .replace(/&amp;/g, "&");
  const tokens = /<\?[^>]*\?>|<(\/?)([A-Za-z_][\w.-]*)([^>]*?)(\/?)>|([^<]+)/g;
  for (const m of xml.matchAll(tokens)) {
    const top = stack.at(-1) as XmlNode;
    if (m[5] !== undefined) {
      top.text += decode(m[5]);
      continue;
    }
    if (!m[2]) continue;
    if (m[1] === "/") {
      if (top.name !== m[2]) throw new Error(`</${m[2]}> closes <${top.name}>`);
      stack.pop();
      continue;
    }
    const node: XmlNode = { name: m[2], children: [], text: "" };
    top.children.push(node);
    if (m[4] !== "/") stack.push(node);
  }
  if (stack.length !== 1) throw new Error(`<${stack.at(-1)?.name}> is not closed`);
  const [document] = root.children;
  if (!document || root.children.length !== 1) throw new Error("the XML has not exactly one root element");
  return document;
}

/**
 * Problems of an EC2-protocol XML answer to `operation`: the root `<OperationResponse>` holds the output's
 * members by their `locationName` (and `requestId`); lists are `<item>` elements.
 */
export function validateXml(model: ServiceModel, operation: string, xml: string): string[] {
  const op = model.operations[operation];
  if (!op) return [`${operation} is not an operation of the model`];
  let root: XmlNode;
  try {
    root = parseXml(xml);
  } catch (error) {
    return [`not well-formed XML: ${(error as Error).message}`];
  }
  if (root.name !== `${operation}Response`) return [`the root element is <${root.name}>, not <${operation}Response>`];
  const problems: string[] = [];
  const body = { ...root, children: root.children.filter((c) => c.name !== "requestId") };
  if (op.output) checkXml(model, op.output.shape, body, operation, problems);
  return problems;
}

/** An element's name for a member: its locationName (EC2 sends these), else the member's name with a lower-case first letter. */
function xmlName(memberName: string, member: Member): string {
  return member.locationName ?? memberName.charAt(0).toLowerCase() + memberName.slice(1);
}

function checkXml(model: ServiceModel, name: string, node: XmlNode, path: string, problems: string[]): void {
  const shape = model.shapes[name];
  if (!shape) return void problems.push(`${path}: the model has no shape ${name}`);
  const text = node.text.trim();
  const fail = (what: string) =>
    problems.push(`${path}: ${what} (shape ${name}, ${shape.type}), got ${JSON.stringify(text.slice(0, 80))}`);
  switch (shape.type) {
    case "structure": {
      const byElement = new Map(
        Object.entries(shape.members ?? {}).map(([k, m]) => [xmlName(k, m), { key: k, member: m }]),
      );
      const seen = new Set<string>();
      for (const child of node.children) {
        const found = byElement.get(child.name);
        if (!found) {
          problems.push(`${path}.${child.name}: ${name} has no member sent as <${child.name}>`);
          continue;
        }
        seen.add(found.key);
        checkXml(model, found.member.shape, child, `${path}.${child.name}`, problems);
      }
      for (const key of shape.required ?? [])
        if (!seen.has(key)) problems.push(`${path}.${key}: required by ${name}, missing`);
      return;
    }
    case "list":
      for (const [i, child] of node.children.entries()) {
        if (child.name !== "item") problems.push(`${path}[${i}]: list entries are <item>, got <${child.name}>`);
        checkXml(model, shape.member?.shape ?? "", child, `${path}[${i}]`, problems);
      }
      return;
    case "string":
      if (node.children.length > 0) return void fail("text");
      if (shape.enum && !shape.enum.includes(text)) fail(`one of ${shape.enum.join(", ")}`);
      return;
    case "integer":
    case "long":
      if (!/^-?\d+$/.test(text)) fail("an integer");
      return;
    case "double":
    case "float":
      if (Number.isNaN(Number(text)) || text === "") fail("a number");
      return;
    case "boolean":
      if (text !== "true" && text !== "false") fail("true or false");
      return;
    case "timestamp":
      if (Number.isNaN(Date.parse(text))) fail("an ISO 8601 time");
      return;
    default:
      fail(`a type this check knows (${shape.type})`);
  }
}

/**
 * Errors every AWS JSON or query API may answer besides its model's error shapes (AWS's "Common Errors" pages:
 * ThrottlingException / Throttling, and SerializationException for a body that is not JSON).
 */
export const COMMON_ERRORS = ["ThrottlingException", "Throttling", "SerializationException"] as const;

/** Problems of a JSON error answer: `__type` must be an error of the operation, an error shape of the service, or a common error. */
export function validateJsonError(model: ServiceModel, operation: string, body: unknown): string[] {
  const { __type: type, message } = (body ?? {}) as { __type?: unknown; message?: unknown };
  const problems: string[] = [];
  if (typeof type !== "string") problems.push(`the error has no __type: ${JSON.stringify(body)}`);
  else if (!(COMMON_ERRORS as readonly string[]).includes(type)) {
    if (!model.shapes[type]?.exception) problems.push(`${type} is not an error of the model`);
    else if (model.operations[operation] && !operationErrors(model, operation).includes(type))
      problems.push(`${type} is not an error ${operation} declares (${operationErrors(model, operation).join(", ")})`);
  }
  if (typeof message !== "string") problems.push("the error has no message");
  return problems;
}
