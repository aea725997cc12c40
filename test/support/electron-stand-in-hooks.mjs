// Module hooks for the composition-root test: the bare specifier `electron` resolves to the stand-in
// (test/support/electron-stand-in.ts) instead of the npm package, which only names the Electron binary.
// Registered with module.register(); everything else resolves as usual.
const standIn = new URL('./electron-stand-in.ts', import.meta.url).href;

export async function resolve(specifier, context, next) {
  if (specifier === 'electron') return { url: standIn, shortCircuit: true };
  return next(specifier, context);
}
