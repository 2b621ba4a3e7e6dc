import assert from "node:assert/strict";
import { FunctionPlugin, Plugin } from "../../mod.ts";

class Db extends Plugin {
  static namespace = "test.plugin";
  static pluginName = "db";
}

Deno.test("Plugin recognises class and function plugin instances with instanceof, not plugin classes", () => {
  assert.ok(new Db() instanceof Plugin);
  assert.ok(new Db() instanceof Db);
  const fn = new FunctionPlugin(() => 1);
  assert.ok(fn instanceof Plugin);
  assert.ok(fn instanceof FunctionPlugin);
  assert.ok(!(fn instanceof Db));
  assert.ok(!(Db instanceof Plugin));
  assert.ok(!((() => 1) instanceof Plugin));
  assert.ok(!({ shouldLoad() {}, load() {} } instanceof Plugin));
  assert.ok(!((null as unknown) instanceof Plugin));
});

Deno.test("Plugin.shouldLoad() is true and Plugin.load() returns undefined unless overridden", async () => {
  const db = new Db();
  assert.equal(await db.shouldLoad(), true);
  assert.equal(await db.load("ignored"), undefined);
});
