import { describe, expect, test } from "vitest";
import { clientMismatch, localPythonRecord } from "../src/runner-python.js";

const image = { python: "3.11.2", packages: { dask: "2022.12.1", distributed: "2022.12.1", xgboost: "1.7.4" } };

describe("a job on the runner and the cluster's image", () => {
  test.each([
    ["the same", { python: "3.11.9", packages: { dask: "2022.12.1", distributed: "2022.12.1" } }, undefined],
    [
      "another Python and distributed",
      { python: "3.12.1", packages: { dask: "2022.12.1", distributed: "2024.1.0" } },
      "python 3.12.1 here, 3.11.2 in the image; distributed 2024.1.0 here, 2022.12.1 in the image",
    ],
    [
      "no dask here",
      { python: "3.11.2", packages: { distributed: "2022.12.1" } },
      "dask missing here, 2022.12.1 in the image",
    ],
  ])("%s", (_what, local, expected) => {
    expect(clientMismatch(image, local)).toBe(expected);
  });

  test("the record of a real Python on this machine; a missing one gives none", async () => {
    const record = await localPythonRecord("python3");
    expect(record?.python).toMatch(/^3\.\d+\.\d+/);
    expect(await localPythonRecord("no-such-python-here")).toBeUndefined();
  });
});
