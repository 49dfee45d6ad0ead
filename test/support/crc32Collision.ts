// Four bytes to append to any data so that its CRC-32 becomes a chosen value: how a test makes a
// file of another length with the same CRC as a recorded artifact (CRC-32 is linear, so it can be
// steered; only a cryptographic hash resists this). The table is zlib's, reflected polynomial
// 0xEDB88320; the top byte of each table entry is unique, which is what lets the state be walked back.
import { crc32 } from '../../src/checksum.ts';

const TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
const BY_TOP_BYTE = new Map(TABLE.map((entry, index) => [entry >>> 24, index]));

/** `data` followed by four bytes chosen so that the CRC-32 of the result is `targetCrc`. */
export function withCrc32(data: Uint8Array, targetCrc: number): Buffer {
  // Walk the register back from the wanted final state: each step's table index is named by the top byte.
  const indices: number[] = [];
  let register = ~targetCrc >>> 0;
  for (let step = 0; step < 4; step++) {
    const index = BY_TOP_BYTE.get(register >>> 24)!;
    indices.unshift(index);
    register = ((register ^ TABLE[index]!) << 8) >>> 0;
  }
  // Then forward from the data's state, choosing each byte so that it lands on that index.
  let state = ~crc32(data) >>> 0;
  const suffix = indices.map((index) => {
    const byte = (state ^ index) & 0xff;
    state = ((state >>> 8) ^ TABLE[index]!) >>> 0;
    return byte;
  });
  const forged = Buffer.concat([data, Buffer.from(suffix)]);
  if (crc32(forged) !== targetCrc) throw new Error('withCrc32: the forged CRC does not match (a bug in this helper)');
  return forged;
}
