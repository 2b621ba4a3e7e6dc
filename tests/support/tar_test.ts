import assert from "node:assert/strict";
import { tgz } from "./tar.ts";

Deno.test("tgz() writes an archive that tar(1) lists and extracts byte for byte", async () => {
  const dir = await Deno.makeTempDir({ prefix: "plux_" });
  try {
    const long = `package/${"d".repeat(90)}/${"f".repeat(60)}.js`;
    const files: [string, Uint8Array][] = [
      ["package/empty.txt", new Uint8Array()],
      ["package/a.txt", new TextEncoder().encode("hi\n")],
      ["package/block.bin", new Uint8Array(512).fill(7)],
      [long, new Uint8Array(1000).fill(65)],
    ];
    await Deno.writeFile(`${dir}/x.tgz`, tgz(files));
    const output = await new Deno.Command("tar", {
      args: ["-xzvf", "x.tgz"],
      cwd: dir,
    }).output();
    assert.equal(output.code, 0, new TextDecoder().decode(output.stderr));
    for (const [path, bytes] of files) {
      assert.deepEqual(await Deno.readFile(`${dir}/${path}`), bytes, path);
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("tgz() gives equal bytes for equal input", () => {
  const files: [string, Uint8Array][] = [[
    "package/a.txt",
    new Uint8Array([1]),
  ]];
  assert.deepEqual(tgz(files), tgz(files));
});

Deno.test("tgz() throws RangeError for a file name ustar cannot hold", () => {
  assert.throws(() => tgz([["x".repeat(101), new Uint8Array()]]), RangeError);
});
