const openers = new Set([0x5b, 0x7b]); // [ {
const closers = new Set([0x5d, 0x7d]); // ] }
const quote = 0x22;
const backslash = 0x5c;

/**
 * True when JSON text nests arrays/objects deeper than `maxDepth`. Read byte by byte (structural characters are ASCII,
 * so UTF-8 needs no decoding) because V8 parses any depth but copying or serializing the result recurses: a body of
 * 5,000 brackets would overflow the stack after the parse and turn into a 500.
 */
export function nestsDeeperThan(body: Buffer, maxDepth: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < body.length; i++) {
    const byte = body[i]!;
    if (inString) {
      if (byte === backslash) i++;
      else if (byte === quote) inString = false;
    } else if (byte === quote) inString = true;
    else if (openers.has(byte)) {
      if (++depth > maxDepth) return true;
    } else if (closers.has(byte)) depth--;
  }
  return false;
}
