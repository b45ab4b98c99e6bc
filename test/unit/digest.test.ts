// The JavaScript SHA-256 beside node:crypto's, on every length around the
// block boundaries and on random data up to the size where digest() hands
// over to node:crypto; the FIPS 180-4 example vectors too.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createHash, randomBytes } from "node:crypto";
import { digest, sha256 } from "../../src/util/digest.js";

const hex = (b: Uint8Array) => Buffer.from(b).toString("hex");

test("sha256: the FIPS 180-4 examples", () => {
  assert.equal(hex(sha256(Buffer.from("abc"))), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  assert.equal(hex(sha256(Buffer.alloc(0))), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  assert.equal(
    hex(sha256(Buffer.from("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"))),
    "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1",
  );
});

test("sha256: agrees with node:crypto on every length to 300 bytes and on random sizes to 64 KiB", () => {
  const sizes = [...Array(301).keys(), 1023, 1024, 4095, 65535, 65536, ...Array.from({ length: 20 }, () => Math.floor(Math.random() * 65536))];
  for (const n of sizes) {
    const data = randomBytes(n);
    assert.equal(hex(sha256(data)), createHash("sha256").update(data).digest("hex"), `length ${n}`);
  }
});

test("digest: every algorithm and encoding, small and large, strings as UTF-8", () => {
  for (const n of [0, 5, 65536, 65537, 200_000]) {
    const data = randomBytes(n);
    for (const algorithm of ["sha256", "sha384", "sha512"] as const) {
      for (const encoding of ["hex", "base64url"] as const) {
        assert.equal(digest(algorithm, data, encoding), createHash(algorithm).update(data).digest(encoding), `${algorithm} ${encoding} ${n}`);
      }
    }
  }
  assert.equal(digest("sha256", "é€", "hex"), createHash("sha256").update("é€", "utf8").digest("hex"));
});
