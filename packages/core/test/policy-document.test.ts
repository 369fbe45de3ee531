import { describe, expect, test } from "vitest";
import { policyAllowsPut } from "../src/fargate/fargate-output-access.js";
import { asList, matchesIamPattern, parsePolicyDocument } from "../src/internal/policy-document.js";

describe("policy documents as IAM answers them", () => {
  const document = {
    Version: "2012-10-17",
    Statement: [{ Effect: "Allow", Action: "s3:PutObject", Resource: "arn:aws:s3:::b/p/*" }],
  };

  test("URL-encoded (GetRole, GetRolePolicy) and plain JSON read the same; anything else is undefined", () => {
    expect(parsePolicyDocument(encodeURIComponent(JSON.stringify(document)))).toEqual(document);
    expect(parsePolicyDocument(JSON.stringify(document))).toEqual(document);
    expect(parsePolicyDocument("%E0%A4%A")).toBeUndefined();
    expect(parsePolicyDocument("[1]")).toBeUndefined();
    expect(parsePolicyDocument(undefined)).toBeUndefined();
  });

  test("one value or a list: both are lists", () => {
    expect(asList("a")).toEqual(["a"]);
    expect(asList(["a", "b"])).toEqual(["a", "b"]);
    expect(asList(undefined)).toEqual([]);
  });

  test("wildcards: actions without case, resources with it", () => {
    expect(matchesIamPattern("S3:Put*", "s3:PutObject", { ignoreCase: true })).toBe(true);
    expect(matchesIamPattern("arn:aws:s3:::b/p/*", "arn:aws:s3:::b/P/x")).toBe(false);
    expect(matchesIamPattern("arn:aws:s3:::b/p/?", "arn:aws:s3:::b/p/x")).toBe(true);
    expect(matchesIamPattern("a.b", "axb")).toBe(false);
  });

  test("a task-role policy that is not JSON allows no output write (up then refuses with what to run)", () => {
    expect(policyAllowsPut("not json", "arn:aws:s3:::b/p/x")).toBe(false);
    expect(policyAllowsPut(encodeURIComponent(JSON.stringify(document)), "arn:aws:s3:::b/p/x")).toBe(true);
  });
});
