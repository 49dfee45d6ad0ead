// CRC-32 (IEEE 802.3), enough to tell a complete artifact from a torn or foreign one. Pure, so it
// needs no port: node:zlib's native crc32 (Node >= 20.15), an order of magnitude faster than a
// table-driven loop in JavaScript on the inputs and artifacts every skip check reads.
import { crc32 as zlibCrc32 } from 'node:zlib';

export function crc32(bytes: Uint8Array): number {
  return zlibCrc32(bytes) >>> 0;
}
