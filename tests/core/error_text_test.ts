import assert from "node:assert/strict";
import fc from "fast-check";
import { terminalText } from "../../src/core/_error_text.ts";

const UNSAFE = /[\p{Cc}\u202a-\u202e\u2066-\u2069]/u;

Deno.test("terminalText() leaves no control character but the newline, and no bidi override, in any text", () => {
  fc.assert(
    fc.property(fc.string({ unit: "binary", maxLength: 40 }), (text) => {
      const safe = terminalText(text);
      assert.equal(UNSAFE.test(safe.replaceAll("\n", "")), false, safe);
      // Printable text is left alone.
      if (!UNSAFE.test(text.replaceAll("\n", ""))) assert.equal(safe, text);
    }),
    { numRuns: 2000 },
  );
});

Deno.test("terminalText() keeps JSON valid: its escapes are JSON's", () => {
  fc.assert(
    fc.property(fc.jsonValue({ stringUnit: "binary" }), (value) => {
      const json = JSON.stringify(value, null, 2);
      assert.deepEqual(JSON.parse(terminalText(json)), JSON.parse(json));
    }),
    { numRuns: 1000 },
  );
});
