import assert from "node:assert/strict";
import { PLUX_VERSION, unmetRequirements } from "../../../mod.ts";

Deno.test("PLUX_VERSION is the version in the library's deno.json", async () => {
  const config = JSON.parse(
    await Deno.readTextFile(new URL("../../../deno.json", import.meta.url)),
  );
  assert.equal(PLUX_VERSION, config.version);
});

Deno.test("await unmetRequirements() checks each requirement against what the host provides", async () => {
  assert.deepEqual(await unmetRequirements({}), []);
  assert.deepEqual(await unmetRequirements({ "@plux/core": "^0.1" }), []);
  assert.deepEqual(
    await unmetRequirements({ "my-app": ">=2.3", "@plux/core": "~0.1.0" }, {
      "my-app": "2.4.0",
    }),
    [],
  );
  assert.deepEqual(
    await unmetRequirements({ "my-app": ">=2.3" }, {
      "my-app": "3.0.0-beta.1",
    }),
    [],
  );
  assert.deepEqual(
    await unmetRequirements(
      { "z-app": "^1", "my-app": "not a range!", "@plux/core": "^1.0.0" },
      { "my-app": "2.4.0" },
    ),
    [
      'needs @plux/core "^1.0.0", but the host provides @plux/core 0.1.0',
      'needs my-app "not a range!", which is not a semver range',
      'needs z-app "^1", but the host does not provide z-app',
    ],
  );
});
