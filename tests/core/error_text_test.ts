import assert from "node:assert/strict";
import fc from "fast-check";
import {
  errorText,
  terminalText,
  UNPRINTABLE,
} from "../../src/core/_error_text.ts";

/** What a terminal could act on: controls (line breaks too), separators, format marks, lone surrogates. */
const UNSAFE = /[\p{Cc}\p{Cf}\p{Cs}\p{Zl}\p{Zp}]/u;

Deno.test("terminalText() leaves no control character, line break, separator, bidi or format mark in any text", () => {
  fc.assert(
    fc.property(fc.string({ unit: "binary", maxLength: 40 }), (text) => {
      const safe = terminalText(text);
      assert.equal(UNSAFE.test(safe), false, safe);
      // Printable text is left alone, and escaping twice changes nothing.
      if (!UNSAFE.test(text)) assert.equal(safe, text);
      assert.equal(terminalText(safe), safe);
    }),
    { numRuns: 2000 },
  );
});

Deno.test("terminalText() escapes each line break and mark a terminal acts on", () => {
  for (
    const char of [
      "\n",
      "\r",
      "\u000b",
      "\u000c",
      "\u0085",
      "\u2028",
      "\u2029",
      "\u200e",
      "\u200f",
      "\u061c",
      "\u202a",
      "\u202e",
      "\u2066",
      "\u2069",
      "\u00ad",
      "\ufeff",
      "\ud800",
    ]
  ) {
    const code = char.charCodeAt(0).toString(16).padStart(4, "0");
    assert.equal(terminalText(`a${char}b`), `a\\u${code}b`);
  }
  assert.equal(terminalText("\u{e0041}"), "\\udb40\\udc41");
});

Deno.test("terminalText() keeps JSON valid: its escapes are JSON's", () => {
  fc.assert(
    fc.property(fc.jsonValue({ stringUnit: "binary" }), (value) => {
      // As the command line writes it: line by line, each line escaped.
      const json = JSON.stringify(value, null, 2);
      const written = json.split("\n").map(terminalText).join("\n");
      assert.deepEqual(JSON.parse(written), JSON.parse(json));
    }),
    { numRuns: 1000 },
  );
});

/** Throws something that is itself hard to describe. */
function trap(): never {
  throw Object.create(null);
}

/** Values whose description throws unless every conversion is guarded. */
const hostile = fc.constantFrom<() => unknown>(
  () => Object.create(null),
  () => Object.defineProperty(new Error("x"), "message", { get: trap }),
  () => Object.assign(new Error(), { message: Object.create(null) }),
  () => Object.assign(new Error(), { message: { toString: trap } }),
  () =>
    new Proxy({}, {
      get: trap,
      getPrototypeOf: trap,
      has: trap,
      ownKeys: trap,
      getOwnPropertyDescriptor: trap,
    }),
  () => new Proxy(new Error("p"), { get: trap }),
  () => ({ [Symbol.toPrimitive]: trap }),
  () => ({ toString: trap, valueOf: trap }),
  () => Object.setPrototypeOf({}, null),
  () => Symbol("s"),
  () => 10n,
);

Deno.test("errorText() never throws and returns one line, for any value and hostile objects", () => {
  fc.assert(
    fc.property(
      // Made inside the property: fast-check itself cannot handle a Proxy
      // whose traps throw.
      fc.oneof(
        fc.anything({ withObjectString: true }).map((v) => () => v),
        hostile,
      ),
      (make) => {
        const text = errorText(make());
        assert.equal(typeof text, "string");
        assert.equal(text.includes("\n"), false, text);
      },
    ),
    { numRuns: 2000 },
  );
  assert.equal(errorText(Object.create(null)), UNPRINTABLE);
  assert.equal(
    errorText(Object.defineProperty(new Error("x"), "message", { get: trap })),
    UNPRINTABLE,
  );
  assert.equal(errorText(Symbol("s")), "Symbol(s)");
  assert.equal(errorText(new Error("a\n  b\n")), "a b");
});
