// RECORD reading and writing as pip's csv module does: quoting, \r\n line
// ends, sorted rows, and hashes in RECORD's urlsafe-base64 form.
import { test } from "node:test";
import assert from "node:assert/strict";
import { formatRecord, hashMatches, parseRecord, parseRecordHash, recordHash } from "../../src/standards/record.js";

test("hashes are sha256 in urlsafe base64 without padding, as pip writes them", () => {
  // INSTALLER "pip\n" as ensurepip records it.
  assert.equal(recordHash(Buffer.from("pip\n")), "sha256=zuuue4knoyJ-UwPPXg8fezS7VCrXJQrAP7zeNuwvFQg");
  assert.equal(recordHash(Buffer.alloc(0)), "sha256=47DEQpj8HBSa-_TImW-5JCeuQeRkm5NMpJWZG3hSuFU");
  assert.ok(hashMatches(Buffer.from("pip\n"), "sha256=zuuue4knoyJ-UwPPXg8fezS7VCrXJQrAP7zeNuwvFQg"));
  assert.ok(hashMatches(Buffer.from("pip\n"), "sha256=zuuue4knoyJ-UwPPXg8fezS7VCrXJQrAP7zeNuwvFQg="), "padding tolerated");
  assert.ok(!hashMatches(Buffer.from("pip \n"), "sha256=zuuue4knoyJ-UwPPXg8fezS7VCrXJQrAP7zeNuwvFQg"));
  assert.ok(hashMatches(Buffer.from("x"), recordHash(Buffer.from("x"), "sha512")));
});

test("md5 and sha1 are not accepted (PEP 427)", () => {
  assert.equal(parseRecordHash("md5=abc"), undefined);
  assert.equal(parseRecordHash("sha1=abc"), undefined);
  assert.equal(parseRecordHash("nonsense"), undefined);
  assert.deepEqual(parseRecordHash("SHA256=abc"), { algorithm: "sha256", digest: "abc" });
  assert.ok(!hashMatches(Buffer.from("x"), "md5=nY6kLr1Ue6a4yq3vjkLE4g"));
});

test("parses quoted fields, \\r\\n and \\n line ends, and skips blank lines", () => {
  const text = 'a/b.py,sha256=x,10\r\n"weird, name.txt",sha256=y,2\n"say ""hi"".txt",,\n\npkg-1.0.dist-info/RECORD,,\n';
  assert.deepEqual(parseRecord(text), [
    ["a/b.py", "sha256=x", "10"],
    ["weird, name.txt", "sha256=y", "2"],
    ['say "hi".txt', "", ""],
    ["pkg-1.0.dist-info/RECORD", "", ""],
  ]);
});

test("writes rows sorted, quoted where csv would, with \\r\\n", () => {
  const text = formatRecord([
    ["pkg/z.py", "sha256=z", "1"],
    ["../../../bin/tool", "sha256=t", "200"],
    ["pkg/a, b.txt", "sha256=a", "3"],
    ["pkg-1.0.dist-info/RECORD", "", ""],
  ]);
  assert.equal(
    text,
    "../../../bin/tool,sha256=t,200\r\n" +
      "pkg-1.0.dist-info/RECORD,,\r\n" +
      '"pkg/a, b.txt",sha256=a,3\r\n' +
      "pkg/z.py,sha256=z,1\r\n",
  );
  assert.deepEqual(parseRecord(text).map((r) => r[0]), ["../../../bin/tool", "pkg-1.0.dist-info/RECORD", "pkg/a, b.txt", "pkg/z.py"]);
});

test("sorts by code point, as Python does, beyond the BMP too", () => {
  const rows = formatRecord([["\u{1F600}.txt", "", ""], ["\uFF21.txt", "", ""]]).split("\r\n");
  assert.deepEqual(rows.slice(0, 2), ["\uFF21.txt,,", "\u{1F600}.txt,,"]);
});
