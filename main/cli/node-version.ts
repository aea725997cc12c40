// The oldest Node the CLI runs on. The bundle's HTTP client (undici 8) needs zlib's zstd (Node 22.15 and 23.8);
// on an older Node it fails while loading with "Cannot read properties of undefined (reading 'bind')", which says
// nothing about the cause. npm installs the CLI on any Node (engines is advice), so the CLI says it itself.
export const MIN_NODE = { major: 22, minor: 15 } as const;

/** A sentence naming the Node in use and the one needed; undefined when this Node will do. */
export function nodeVersionProblem(version: string): string | undefined {
  const [major = 0, minor = 0] = version.replace(/^v/, '').split('.').map((part) => Number.parseInt(part, 10) || 0);
  const recent = major > 23 || (major === 23 && minor >= 8) || (major === 22 && minor >= MIN_NODE.minor);
  if (recent) return undefined;
  return (
    `engagement-desk needs Node.js ${MIN_NODE.major}.${MIN_NODE.minor} or later (24 recommended), and this is Node.js ${version.replace(/^v?/, 'v')}. ` +
    'Install Node.js 24 and run the command again; nothing was done.'
  );
}
