import assert from "node:assert/strict";
import { join } from "node:path";
import { findIgnoringRule } from "../../src/build/gitignore.ts";

Deno.test("findIgnoringRule() follows .gitignore files up to the repository root", async (t) => {
  const root = await Deno.makeTempDir({ prefix: "plux_" });
  try {
    await Deno.mkdir(join(root, ".git"));
    await Deno.mkdir(join(root, "packages/a"), { recursive: true });
    const file = join(root, "packages/a/plux.json");
    const cases: [string, string, string | undefined][] = [
      ["", "", undefined],
      ["plux.json\n", "", "plux.json"],
      ["*.json\n", "", "*.json"],
      ["/plux.json\n", "", undefined],
      ["packages/*/plux.json\n", "", "packages/*/plux.json"],
      ["packages/\n", "", "packages/"],
      ["*.json\n", "!plux.json\n", undefined],
      ["# plux.json\n", "", undefined],
    ];
    for (const [top, inner, pattern] of cases) {
      await t.step(JSON.stringify([top, inner]), async () => {
        await Deno.writeTextFile(join(root, ".gitignore"), top);
        await Deno.writeTextFile(join(root, "packages/a/.gitignore"), inner);
        assert.equal((await findIgnoringRule(file))?.pattern, pattern);
      });
    }
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});
