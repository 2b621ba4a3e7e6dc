import assert from "node:assert/strict";
import { pathToFileURL } from "node:url";
import { expandMembers } from "../../../src/finders/import_map/_workspace_members.ts";
import { indexProject } from "../../../src/build/index_project.ts";

async function workspace(folders: string[]): Promise<string> {
  const dir = await Deno.makeTempDir({ prefix: "plux_" });
  for (const folder of folders) {
    await Deno.mkdir(`${dir}/${folder}`, { recursive: true });
  }
  return dir;
}

Deno.test("expandMembers() expands globs anywhere in a member path, as Deno does, and keeps plain members as written", async () => {
  const dir = await workspace([
    "packages/greeters",
    "packages/gadgets",
    "packages/tools",
    "packages/.hidden",
    "libs/a/plugins",
    "libs/b/plugins",
    "libs/c",
  ]);
  await Deno.writeTextFile(`${dir}/packages/not_a_folder`, "");
  try {
    const root = pathToFileURL(`${dir}/`);
    const names = (members: unknown[]) =>
      expandMembers(root, members).map((url) =>
        url.href.slice(root.href.length)
      );
    assert.deepEqual(names(["./packages/g*"]), [
      "packages/gadgets/",
      "packages/greeters/",
    ]);
    assert.deepEqual(names(["packages/*"]), [
      "packages/gadgets/",
      "packages/greeters/",
      "packages/tools/",
    ], "no hidden folders, no files");
    assert.deepEqual(names(["./libs/*/plugins"]), [
      "libs/a/plugins/",
      "libs/b/plugins/",
    ]);
    assert.deepEqual(names(["./packages/{tools,gadgets}/"]), [
      "packages/gadgets/",
      "packages/tools/",
    ]);
    assert.deepEqual(
      names(["./packages/tools", "./packages/*", "./missing/*", 7, "./gone"]),
      [
        "packages/tools/",
        "packages/gadgets/",
        "packages/greeters/",
        "gone/",
      ],
      "declared order, each folder once, plain members as written",
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("indexProject() finds the members of a workspace glob with a folder after the *", async () => {
  const dir = await workspace(["libs/gadgets/plugins", "libs/tools", "libs/x"]);
  try {
    await Deno.writeTextFile(
      `${dir}/deno.json`,
      JSON.stringify({ workspace: ["./libs/*/plugins", "./libs/t*"] }),
    );
    for (const name of ["gadgets/plugins", "tools"]) {
      await Deno.writeTextFile(
        `${dir}/libs/${name}/deno.json`,
        JSON.stringify({ name: "@t/p", exports: "./mod.ts" }),
      );
      await Deno.writeTextFile(`${dir}/libs/${name}/mod.ts`, "");
      await Deno.writeTextFile(`${dir}/libs/${name}/plux.json`, "{}");
    }
    const report = await indexProject(`${dir}/deno.json`, "discover");
    assert.deepEqual(report.errors, []);
    assert.deepEqual(
      [...report.packages.map((p) => p.config.dir), ...report.skipped],
      [`${dir}/libs/gadgets/plugins`, `${dir}/libs/tools`],
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
