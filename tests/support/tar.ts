/**
 * A minimal tar (ustar) writer with gzip, enough to build npm package
 * tarballs in memory for the local npm registry. `node:zlib` does the gzip;
 * the tar format is a 512-byte header per file followed by its data padded
 * to 512 bytes, and two zero blocks at the end. A dependency (e.g. npm
 * `tar-stream` or `tar`) would bring streams, more code than these 80 lines
 * and an entry in the README's dependency table, for no gain here.
 *
 * @module
 */

import { gzipSync } from "node:zlib";

const BLOCK = 512;

/**
 * Packs files into a gzipped tar archive. Every file gets mode 0644, a fixed
 * modification time and its path as given (split into ustar `prefix` and
 * `name` when longer than 100 bytes), so equal input gives equal bytes.
 *
 * @param files Pairs of archive path (e.g. `package/index.js`) and bytes.
 * @returns The `.tgz` bytes.
 * @throws {RangeError} When a path is longer than ustar allows.
 *
 * @example
 * ```ts
 * import { gunzipSync } from "node:zlib";
 * import { tgz } from "./tar.ts";
 * const archive = tgz([["package/a.txt", new TextEncoder().encode("hi")]]);
 * const tar = gunzipSync(archive);
 * console.log(new TextDecoder().decode(tar.subarray(0, 13))); // "package/a.txt"
 * console.log(tar.length); // 2048: header, data block, two end blocks
 * ```
 */
export function tgz(
  files: Iterable<readonly [string, Uint8Array]>,
): Uint8Array<ArrayBuffer> {
  const blocks: Uint8Array[] = [];
  for (const [path, data] of files) {
    blocks.push(_header(path, data.byteLength), data);
    const pad = (BLOCK - (data.byteLength % BLOCK)) % BLOCK;
    if (pad) blocks.push(new Uint8Array(pad));
  }
  blocks.push(new Uint8Array(BLOCK * 2));
  const tar = new Uint8Array(blocks.reduce((n, b) => n + b.byteLength, 0));
  let offset = 0;
  for (const block of blocks) {
    tar.set(block, offset);
    offset += block.byteLength;
  }
  return new Uint8Array(gzipSync(tar));
}

function _header(path: string, size: number): Uint8Array {
  const header = new Uint8Array(BLOCK);
  const encoder = new TextEncoder();
  const put = (text: string, at: number, length: number) => {
    const bytes = encoder.encode(text);
    if (bytes.byteLength > length) {
      throw new RangeError(`tar: "${text}" is longer than ${length} bytes`);
    }
    header.set(bytes, at);
  };
  const octal = (n: number, length: number) =>
    n.toString(8).padStart(length - 1, "0");
  let name = path;
  let prefix = "";
  if (encoder.encode(path).byteLength > 100) {
    const cut = path.lastIndexOf("/", 155);
    if (cut <= 0) throw new RangeError(`tar: "${path}" is too long for ustar`);
    prefix = path.slice(0, cut);
    name = path.slice(cut + 1);
  }
  put(name, 0, 100);
  put(octal(0o644, 8), 100, 8); // mode
  put(octal(0, 8), 108, 8); // uid
  put(octal(0, 8), 116, 8); // gid
  put(octal(size, 12), 124, 12);
  put(octal(0, 12), 136, 12); // mtime
  put("        ", 148, 8); // checksum field counts as spaces
  put("0", 156, 1); // regular file
  put("ustar\u000000", 257, 8);
  put(prefix, 345, 155);
  const sum = header.reduce((n, b) => n + b, 0);
  put(octal(sum, 7) + "\u0000", 148, 8);
  return header;
}
