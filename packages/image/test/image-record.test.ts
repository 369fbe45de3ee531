import { describe, expect, test } from "vitest";
import { parseImageRecord } from "../src/image-record.js";
import { formatKeyVersions, RECORD_PROGRAM } from "../src/index.js";

describe("the package record", () => {
  test("parses what the record program prints and formats the key versions", () => {
    const record = parseImageRecord(
      '{"python": "3.11.2", "packages": {"dask": "2022.12.1", "distributed": "2022.12.1", "xgboost": "1.7.4", "odd": 3}}',
    );
    expect(record).toEqual({
      python: "3.11.2",
      packages: { dask: "2022.12.1", distributed: "2022.12.1", xgboost: "1.7.4" },
    });
    expect(formatKeyVersions(record ?? { python: "", packages: {} })).toMatchInlineSnapshot(
      `"python 3.11.2, dask 2022.12.1, distributed 2022.12.1, xgboost 1.7.4, scikit-learn -"`,
    );
  });

  test.each(["", "not json", "[]", '{"python": 3}', '{"python": "3.11"}'])("%j is not a record", (text) => {
    expect(parseImageRecord(text)).toBeUndefined();
  });

  test("the program is fixed text that survives a double-quoted shell word and a Dockerfile RUN line", () => {
    expect(RECORD_PROGRAM).not.toMatch(/["$`\\\n]/);
  });
});

describe("what changed between two records", () => {
  test("python and the key packages first, then the others; added and removed named", async () => {
    const { diffRecords } = await import("../src/image-record.js");
    const before = {
      python: "3.12.7",
      packages: { aiohttp: "3.9", dask: "2024.12.0", distributed: "2024.12.0", gone: "1.0", same: "2" },
    };
    const after = {
      python: "3.12.8",
      packages: { aiohttp: "3.10", dask: "2024.12.1", distributed: "2024.12.1", fresh: "0.1", same: "2" },
    };
    expect(diffRecords(before, after)).toMatchInlineSnapshot(`
      [
        "python 3.12.7 → 3.12.8",
        "dask 2024.12.0 → 2024.12.1",
        "distributed 2024.12.0 → 2024.12.1",
        "aiohttp 3.9 → 3.10",
        "fresh 0.1 (added)",
        "gone 1.0 (removed)",
      ]
    `);
    expect(diffRecords(after, after)).toEqual([]);
  });
});
